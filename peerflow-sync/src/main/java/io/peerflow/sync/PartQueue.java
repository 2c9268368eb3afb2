package io.peerflow.sync;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.fetch.Delivery;
import io.peerflow.fetch.FetchQueue;
import io.peerflow.fetch.Reservation;
import io.peerflow.peers.MessageKind;
import io.peerflow.peers.PeerConnection;
import io.peerflow.peers.RemotePeer;
import io.peerflow.peers.Response;
import io.peerflow.store.ChainStore;
import io.peerflow.store.Part;
import io.peerflow.store.WriteBatch;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bodies or the receipts of a range, fetched by block hash for headers that are already
 * verified and stored, checked against those headers (transactions, ommers and withdrawals roots;
 * receipts root and bloom) and written to the store as they arrive.
 *
 * <p>It walks the range from the top down behind the header frontier and keeps at most {@link
 * #WINDOW} headers in memory, loading them back from the store: memory stays bounded whatever the
 * range. Blocks whose header commits to an empty body (or no receipts) are stored without asking
 * anyone, as go-ethereum does. What differs between the parts (how they are asked for, checked and
 * stored) is a {@link BlockPart}.
 *
 * <p>Called on its scheduler's thread; {@link #headersVerifiedDownTo} may be called from any thread
 * (the header scheduler's), after which the caller wakes this queue's scheduler.
 */
final class PartQueue<T> implements FetchQueue<PartQueue.Batch> {

  /**
   * Most headers held for pending and in-flight items: a few full requests for each of dozens of
   * peers (bodies are requested 128 at a time, receipts 256), at about 600 bytes a header.
   */
  static final int WINDOW = 8192;

  /** Headers of blocks requested from one peer, in request order. Immutable. */
  record Batch(List<BlockHeader> headers) implements Reservation {
    @Override
    public int size() {
      return headers.size();
    }
  }

  private final BlockPart<T> part;
  private final ChainStore store;
  private final long from;
  private final AtomicLong verifiedLow;
  private final AtomicLong done = new AtomicLong();
  private final TreeMap<Long, BlockHeader> pending = new TreeMap<>();
  private long cursor;
  private int inFlight;
  private volatile boolean headersDone;

  /**
   * @param to highest number of the range; the walk starts there
   * @param verifiedLow lowest number whose header is verified and stored (to + 1 if none yet)
   */
  PartQueue(BlockPart<T> part, ChainStore store, long from, long to, long verifiedLow) {
    this.part = part;
    this.store = store;
    this.from = from;
    this.cursor = to;
    this.verifiedLow = new AtomicLong(verifiedLow);
  }

  /** The queue of {@code part}'s items (not headers, which have their own). */
  static PartQueue<?> of(Part part, ChainStore store, long from, long to, long verifiedLow) {
    return switch (part) {
      case BODIES -> new PartQueue<>(new BodiesPart(), store, from, to, verifiedLow);
      case RECEIPTS -> new PartQueue<>(new ReceiptsPart(), store, from, to, verifiedLow);
      case HEADERS -> throw new IllegalArgumentException("headers have their own queue");
    };
  }

  /** The part this queue fetches. */
  Part part() {
    return part.part();
  }

  /** Headers from {@code number} up are verified and stored. Thread-safe. */
  void headersVerifiedDownTo(long number) {
    verifiedLow.accumulateAndGet(number, Math::min);
  }

  /** No more headers will be verified. Thread-safe. */
  void headersFinished() {
    headersDone = true;
  }

  /**
   * Blocks of the range whose part is now stored (fetched, found stored, or empty). Thread-safe.
   */
  long done() {
    return done.get();
  }

  @Override
  public MessageKind kind() {
    return part.kind();
  }

  @Override
  public int pending() {
    refill();
    return pending.size();
  }

  @Override
  public boolean closed() {
    refill();
    return headersDone && cursor < Math.max(from, verifiedLow.get());
  }

  /** Loads headers behind the frontier into the window, storing empty parts on the way. */
  private void refill() {
    long low = Math.max(from, verifiedLow.get());
    WriteBatch empties = null;
    int emptyCount = 0;
    try {
      while (cursor >= low && pending.size() + inFlight < WINDOW) {
        long n = cursor--;
        if (part.stored(store, n)) {
          done.incrementAndGet();
          continue;
        }
        BlockHeader h =
            BlockHeader.decode(
                store
                    .header(n)
                    .orElseThrow(
                        () ->
                            new IllegalStateException("verified header #" + n + " is not stored")));
        if (part.empty(h)) {
          if (empties == null) {
            empties = store.batch();
          }
          part.putEmpty(empties, h);
          emptyCount++;
          continue;
        }
        pending.put(n, h);
      }
      if (empties != null) {
        empties.commit();
        done.addAndGet(emptyCount);
      }
    } finally {
      if (empties != null) {
        empties.close();
      }
    }
  }

  @Override
  public Batch reserve(PeerConnection peer, int max) {
    List<BlockHeader> taken = new ArrayList<>(Math.min(max, pending.size()));
    // Read at every reservation: a BlockRangeUpdate may have moved it since the last one. The walk
    // is top-down, so everything below the served range is skipped in one step.
    long servedFrom = peer.peer().servedFrom();
    Iterator<BlockHeader> it =
        pending.tailMap(servedFrom, true).descendingMap().values().iterator();
    while (it.hasNext() && taken.size() < max) {
      BlockHeader h = it.next();
      if (!peer.lacks(h.hash())) {
        taken.add(h);
        it.remove();
      }
    }
    if (taken.isEmpty()) {
      return null;
    }
    inFlight += taken.size();
    return new Batch(List.copyOf(taken));
  }

  /**
   * The highest block whose part is pending, if any: after a run that ended with peers unable to
   * take the pending items, the top of the blocks no peer serves (the walk is top-down, so the
   * blocks below it were not reached). Call only once this queue's scheduler has ended; its end
   * happens-before the callback that calls this.
   */
  OptionalLong highestPending() {
    return pending.isEmpty() ? OptionalLong.empty() : OptionalLong.of(pending.lastKey());
  }

  @Override
  public int unreserve(Batch b) {
    inFlight -= b.size();
    for (BlockHeader h : b.headers()) {
      pending.put(h.number(), h);
    }
    return b.size();
  }

  @Override
  public CompletableFuture<? extends Response> request(RemotePeer peer, Batch b) {
    List<Hash> hashes = new ArrayList<>(b.size());
    for (BlockHeader h : b.headers()) {
      hashes.add(h.hash());
    }
    return part.request(peer, hashes);
  }

  @Override
  public Delivery deliver(PeerConnection peer, Batch b, Response response) {
    Optional<List<T>> answered = part.items(response);
    if (answered.isEmpty()) {
      unreserve(b);
      return Delivery.invalid(
          "not a " + kind().name() + " answer: " + response.getClass().getSimpleName());
    }
    List<T> items = answered.get();
    List<BlockHeader> headers = b.headers();
    if (items.size() > headers.size()) {
      unreserve(b);
      return Delivery.invalid(
          items.size() + " " + kind().name() + " for a request of " + headers.size());
    }
    if (items.isEmpty()) {
      // go-ethereum's reading of an empty answer: the peer has none of them.
      for (BlockHeader h : headers) {
        peer.markLacking(h.hash());
      }
      unreserve(b);
      return Delivery.accepted(0);
    }
    // Answers come in request order, but a server may skip blocks it does not have (go-ethereum
    // does): match each item to the next header it fits, and count skipped ones as lacking.
    int[] matchedTo = new int[items.size()];
    int j = 0;
    for (int i = 0; i < items.size(); i++) {
      T item = items.get(i);
      while (j < headers.size() && part.mismatch(item, headers.get(j)).isPresent()) {
        j++;
      }
      if (j == headers.size()) {
        String why =
            part.mismatch(item, headers.get(Math.min(i, headers.size() - 1))).orElse("no match");
        unreserve(b);
        return Delivery.invalid(why);
      }
      matchedTo[i] = j++;
    }
    try (WriteBatch batch = store.batch()) {
      for (int i = 0; i < items.size(); i++) {
        part.put(batch, headers.get(matchedTo[i]), items.get(i));
      }
      batch.commit();
    }
    inFlight -= headers.size();
    int next = 0;
    for (int i = 0; i < headers.size(); i++) {
      BlockHeader h = headers.get(i);
      if (next < matchedTo.length && matchedTo[next] == i) {
        next++;
        continue;
      }
      if (i < matchedTo[matchedTo.length - 1]) {
        peer.markLacking(h.hash());
      }
      pending.put(h.number(), h);
    }
    done.addAndGet(items.size());
    return Delivery.accepted(items.size());
  }
}
