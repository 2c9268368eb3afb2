package io.peerflow.fetch;

import io.peerflow.chain.Hash;
import io.peerflow.peers.MessageKind;
import io.peerflow.peers.PeerConnection;
import io.peerflow.peers.RemotePeer;
import io.peerflow.peers.Response;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * A test queue of bodies numbered 0..n-1: lowest number first, lacking-aware, and recording every
 * request and acceptance so tests can check that nothing is fetched twice.
 */
final class ItemQueue implements FetchQueue<ItemQueue.Batch> {

  record Batch(List<Integer> items) implements Reservation {
    @Override
    public int size() {
      return items.size();
    }
  }

  /** An answer: the items delivered, and whether their data is genuine. */
  record Answer(List<Integer> items, boolean genuine) implements Response {
    @Override
    public int itemCount() {
      return items.size();
    }
  }

  private final TreeSet<Integer> pool = new TreeSet<>();
  private final List<Integer> accepted = new ArrayList<>();
  final List<Batch> reservations = new ArrayList<>();
  final List<Batch> unreserved = new ArrayList<>();
  private final MessageKind kind;
  private int total;
  private boolean closed;

  ItemQueue(int items, boolean closed) {
    this(MessageKind.BODIES, items, closed);
  }

  /** A queue of bodies or receipts. */
  ItemQueue(MessageKind kind, int items, boolean closed) {
    this.kind = kind;
    add(items);
    this.closed = closed;
  }

  static Hash hash(int item) {
    return Hash.of(ByteBuffer.allocate(32).putInt(28, item + 1).array());
  }

  static int item(Hash hash) {
    return ByteBuffer.wrap(hash.toArray()).getInt(28) - 1;
  }

  synchronized void add(int items) {
    for (int i = 0; i < items; i++) {
      pool.add(total++);
      accepted.add(0);
    }
  }

  synchronized void close() {
    closed = true;
  }

  synchronized int acceptedCount(int item) {
    return accepted.get(item);
  }

  synchronized int total() {
    return total;
  }

  /** Whether every item was accepted exactly once. */
  synchronized boolean allAcceptedOnce() {
    for (int i = 0; i < total; i++) {
      if (accepted.get(i) != 1) {
        return false;
      }
    }
    return true;
  }

  @Override
  public MessageKind kind() {
    return kind;
  }

  @Override
  public synchronized int pending() {
    return pool.size();
  }

  @Override
  public synchronized boolean closed() {
    return closed;
  }

  @Override
  public synchronized Batch reserve(PeerConnection peer, int max) {
    List<Integer> items = new ArrayList<>();
    for (Integer i : pool) {
      if (items.size() == max) {
        break;
      }
      if (!peer.lacks(hash(i))) {
        items.add(i);
      }
    }
    if (items.isEmpty()) {
      return null;
    }
    pool.removeAll(items);
    Batch b = new Batch(List.copyOf(items));
    reservations.add(b);
    return b;
  }

  @Override
  public synchronized int unreserve(Batch reservation) {
    unreserved.add(reservation);
    pool.addAll(reservation.items());
    return reservation.size();
  }

  @Override
  public CompletableFuture<? extends Response> request(RemotePeer peer, Batch reservation) {
    List<Hash> hashes = new ArrayList<>();
    for (int i : reservation.items()) {
      hashes.add(hash(i));
    }
    return kind == MessageKind.RECEIPTS ? peer.requestReceipts(hashes) : peer.requestBodies(hashes);
  }

  @Override
  public synchronized Delivery deliver(PeerConnection peer, Batch reservation, Response response) {
    Answer answer = (Answer) response;
    Set<Integer> asked = new HashSet<>(reservation.items());
    if (!answer.genuine() || !asked.containsAll(answer.items())) {
      pool.addAll(reservation.items());
      return Delivery.invalid("bodies do not match their headers");
    }
    if (answer.items().isEmpty()) {
      for (int i : reservation.items()) {
        peer.markLacking(hash(i));
      }
    }
    for (int i : reservation.items()) {
      if (answer.items().contains(i)) {
        accepted.set(i, accepted.get(i) + 1);
      } else {
        pool.add(i);
      }
    }
    return Delivery.accepted(answer.items().size());
  }
}
