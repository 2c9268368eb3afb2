package io.peerflow.simulator;

import io.peerflow.chain.Hash;
import io.peerflow.fetch.Delivery;
import io.peerflow.fetch.FetchQueue;
import io.peerflow.fetch.Reservation;
import io.peerflow.peers.MessageKind;
import io.peerflow.peers.PeerConnection;
import io.peerflow.peers.RemotePeer;
import io.peerflow.peers.Response;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The simulation's {@link FetchQueue}: every item of the catalog, pending from the start, handed
 * out lowest number first, checked on delivery against the catalog's genuine contents, and counted,
 * so a run can prove that every item was accepted exactly once.
 *
 * <p>Lacking is inferred as a sync would: an empty answer marks every item asked as lacking
 * (go-ethereum's rule); in a non-empty one, items left out before the last item served are lacking
 * too (a server answers in request order, skipping what it does not have), while items after it
 * were merely cut off by the response limit and go back to the pool unmarked.
 *
 * <p>Not thread-safe: used on the virtual-time thread only.
 */
final class SimulatedQueue implements FetchQueue<SimulatedQueue.Batch> {

  /** A reservation: item numbers in increasing order. */
  static final class Batch implements Reservation {
    final int[] items;

    Batch(int[] items) {
      this.items = items;
    }

    @Override
    public int size() {
      return items.length;
    }
  }

  private final ItemCatalog catalog;
  private final BitSet pool = new BitSet();
  private final int[] acceptedTimes;
  private int pending;
  private long accepted;
  private long duplicates;

  SimulatedQueue(ItemCatalog catalog) {
    this.catalog = catalog;
    this.acceptedTimes = new int[catalog.count()];
    pool.set(0, catalog.count());
    this.pending = catalog.count();
  }

  /** Items accepted so far (duplicates included). */
  long accepted() {
    return accepted;
  }

  /** Items accepted more than once. */
  long duplicates() {
    return duplicates;
  }

  /** Items never accepted. */
  int missing() {
    int missing = 0;
    for (int times : acceptedTimes) {
      if (times == 0) {
        missing++;
      }
    }
    return missing;
  }

  @Override
  public MessageKind kind() {
    return catalog.kind();
  }

  @Override
  public int pending() {
    return pending;
  }

  @Override
  public boolean closed() {
    return true;
  }

  @Override
  public Batch reserve(PeerConnection peer, int max) {
    int[] items = new int[Math.min(max, pending)];
    int n = 0;
    boolean contiguous = catalog.kind() == MessageKind.HEADERS;
    for (int i = pool.nextSetBit(0); i >= 0 && n < items.length; i = pool.nextSetBit(i + 1)) {
      if (contiguous && n > 0 && i != items[n - 1] + 1) {
        break; // headers are asked for by number range
      }
      if (peer.lacks(catalog.hash(i))) {
        if (contiguous && n > 0) {
          break;
        }
        continue;
      }
      items[n++] = i;
    }
    if (n == 0) {
      return null;
    }
    int[] reserved = n == items.length ? items : java.util.Arrays.copyOf(items, n);
    for (int i : reserved) {
      pool.clear(i);
    }
    pending -= n;
    return new Batch(reserved);
  }

  @Override
  public int unreserve(Batch reservation) {
    for (int i : reservation.items) {
      pool.set(i);
    }
    pending += reservation.items.length;
    return reservation.items.length;
  }

  @Override
  public CompletableFuture<? extends Response> request(RemotePeer peer, Batch reservation) {
    int[] items = reservation.items;
    if (catalog.kind() == MessageKind.HEADERS) {
      return peer.requestHeadersByNumber(items[0], items.length, 0, false);
    }
    List<Hash> hashes = new ArrayList<>(items.length);
    for (int i : items) {
      hashes.add(catalog.hash(i));
    }
    return catalog.kind() == MessageKind.RECEIPTS
        ? peer.requestReceipts(hashes)
        : peer.requestBodies(hashes);
  }

  @Override
  public Delivery deliver(PeerConnection peer, Batch reservation, Response response) {
    SimulatedResponse answer = (SimulatedResponse) response;
    int[] asked = reservation.items;
    // Served items must be a subsequence of the request, each with its genuine contents.
    int[] position = new int[answer.itemCount()];
    int j = 0;
    for (int k = 0; k < answer.itemCount(); k++) {
      while (j < asked.length && asked[j] != answer.item(k)) {
        j++;
      }
      if (j == asked.length || answer.payload(k) != catalog.payload(answer.item(k))) {
        unreserve(reservation);
        return Delivery.invalid(
            catalog.kind().name() + " do not match what was asked (item " + answer.item(k) + ")");
      }
      position[k] = j++;
    }
    int lastServed = answer.itemCount() == 0 ? asked.length : position[answer.itemCount() - 1];
    int k = 0;
    for (int i = 0; i < asked.length; i++) {
      if (k < answer.itemCount() && position[k] == i) {
        k++;
        if (acceptedTimes[asked[i]]++ > 0) {
          duplicates++;
        }
        accepted++;
        continue;
      }
      if (i < lastServed) {
        peer.markLacking(catalog.hash(asked[i]));
      }
      pool.set(asked[i]);
      pending++;
    }
    return Delivery.accepted(answer.itemCount());
  }
}
