package io.peerflow.peers;

import io.peerflow.chain.Hash;
import io.peerflow.msgrate.Tracker;
import io.peerflow.msgrate.TrackerView;
import io.peerflow.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;

/**
 * An active peer as the downloader sees it: whether it is busy with each kind of data, how fast it
 * has delivered each kind, and which items it is known not to have.
 *
 * <p>Thread-safe. The busy flags of all kinds are bits of one atomic integer, switched by
 * compare-and-set, so exactly one of several concurrent fetches of the same kind wins; fetch start
 * times are atomic per kind and written by the winner before its request is sent. The throughput
 * estimates are the {@link Tracker}'s (lock-free reads). The lacking set is guarded by its own
 * monitor. Created by {@link PeerSet#register}.
 *
 * <p>Protocol: every fetch that returns normally must be followed by exactly one {@link #setIdle}
 * of the same kind once it is settled, with the number of items delivered (0 on timeout, failure or
 * an empty answer). Until then further fetches of that kind fail with "already fetching".
 */
public final class PeerConnection {

  /**
   * Most hashes remembered as lacking. The set exists to avoid asking a peer again for items it did
   * not have; it needs to cover the items currently in flight, not the peer's history, and must not
   * grow without bound on a long sync.
   */
  static final int MAX_LACKING_HASHES = 4096;

  private final RemotePeer peer;
  private final String id;
  private final int version;
  private final Tracker tracker;
  private final Clock clock;

  /** Bit {@code kind.index()} set while that kind is being fetched. */
  private final AtomicInteger busy = new AtomicInteger();

  /** Start of the current fetch of each kind, by {@code kind.index()}, in clock nanos. */
  private final AtomicLongArray started = new AtomicLongArray(MessageKind.MAX_KINDS);

  /**
   * Hashes the peer did not have, oldest first. Guarded by itself. Full, it forgets its oldest
   * entry: go-ethereum drops an arbitrary one; we pick the oldest because it is deterministic and
   * because the oldest marks are the likeliest to be stale as the peer syncs forward.
   */
  private final LinkedHashSet<Hash> lacking = new LinkedHashSet<>();

  PeerConnection(RemotePeer peer, int version, Tracker tracker, Clock clock) {
    this.peer = peer;
    this.id = peer.id();
    this.version = version;
    this.tracker = tracker;
    this.clock = clock;
  }

  /** The peer's unique id (its {@link RemotePeer#id()}). */
  public String id() {
    return id;
  }

  /** The eth protocol version the peer speaks, which decides what may be asked of it. */
  public int version() {
    return version;
  }

  /** The transport behind this connection. */
  public RemotePeer peer() {
    return peer;
  }

  /**
   * The peer's throughput estimates, read-only: they are fed only through this connection ({@link
   * #setIdle} when a fetch settles, {@link #measure} otherwise).
   */
  public TrackerView tracker() {
    return tracker.view();
  }

  /**
   * Asks for {@code amount} consecutive headers from block number {@code origin} upwards.
   *
   * @throws PeerException "already fetching" if headers are in flight; nothing is sent then
   */
  public CompletableFuture<? extends Response> fetchHeaders(long origin, int amount) {
    return fetch(MessageKind.HEADERS, p -> p.requestHeadersByNumber(origin, amount, 0, false));
  }

  /**
   * Asks for {@code amount} consecutive headers from the block with hash {@code origin} upwards.
   *
   * @throws PeerException "already fetching" if headers are in flight; nothing is sent then
   */
  public CompletableFuture<? extends Response> fetchHeaders(Hash origin, int amount) {
    return fetch(MessageKind.HEADERS, p -> p.requestHeadersByHash(origin, amount, 0, false));
  }

  /**
   * Asks for the bodies of these blocks.
   *
   * @throws PeerException "already fetching" if bodies are in flight; nothing is sent then
   */
  public CompletableFuture<? extends Response> fetchBodies(List<Hash> hashes) {
    return fetch(MessageKind.BODIES, p -> p.requestBodies(hashes));
  }

  /**
   * Asks for the receipts of these blocks.
   *
   * @throws PeerException "already fetching" if receipts are in flight; nothing is sent then
   */
  public CompletableFuture<? extends Response> fetchReceipts(List<Hash> hashes) {
    return fetch(MessageKind.RECEIPTS, p -> p.requestReceipts(hashes));
  }

  /**
   * Asks for these state trie nodes.
   *
   * @throws PeerException "already fetching" if node data is in flight; nothing is sent then
   */
  public CompletableFuture<? extends Response> fetchNodeData(List<Hash> hashes) {
    return fetch(MessageKind.NODE_DATA, p -> p.requestNodeData(hashes));
  }

  /**
   * Marks {@code kind} busy, records the start time and sends {@code request} to the peer; the
   * general form of the {@code fetch...} methods, for kinds defined by other protocols.
   *
   * <p>If {@code request} throws, nothing was sent: the kind is idle again and the exception
   * propagates. Otherwise the kind stays busy until {@link #setIdle}, whatever the future does.
   *
   * @throws PeerException "already fetching" if {@code kind} is in flight; nothing is sent then
   */
  public <F extends CompletableFuture<? extends Response>> F fetch(
      MessageKind kind, Function<? super RemotePeer, F> request) {
    int bit = 1 << kind.index();
    int flags;
    do {
      flags = busy.get();
      if ((flags & bit) != 0) {
        throw new PeerException(PeerException.Reason.ALREADY_FETCHING);
      }
    } while (!busy.compareAndSet(flags, flags | bit));
    // Written before the request leaves, as the answer may come back on another thread at once.
    started.set(kind.index(), clock.nanos());
    try {
      return request.apply(peer);
    } catch (RuntimeException | Error e) {
      clearBusy(bit);
      throw e;
    }
  }

  /** Whether no fetch of {@code kind} is in flight. */
  public boolean isIdle(MessageKind kind) {
    return (busy.get() & (1 << kind.index())) == 0;
  }

  /**
   * Settles the current fetch of {@code kind}: feeds {@code delivered} items over the time since
   * the fetch started to the throughput estimates, then frees the kind for the next fetch. Returns
   * false, measuring nothing, if the kind was not busy (a duplicate settlement, or one after {@link
   * #reset}); go-ethereum would measure against a stale start time instead.
   *
   * @param delivered items delivered; 0 for a timeout or an answer without the data
   * @param deliveryTimeNanos when the answer arrived, on the set's clock
   */
  public boolean setIdle(MessageKind kind, int delivered, long deliveryTimeNanos) {
    long start = started.get(kind.index());
    // Winning the flag first makes the measurement happen once even if two threads settle the
    // same fetch; a fetch that starts in between is merely sized without this last measurement.
    if (!clearBusy(1 << kind.index())) {
      return false;
    }
    measure(kind, saturatedSub(deliveryTimeNanos, start), delivered);
    return true;
  }

  /**
   * Feeds one measurement to the peer's throughput estimate for {@code kind} outside a fetch's
   * settlement (see {@link Tracker#update}): a policy that throttles a peer after a timeout (0
   * items) or that measures requests it pipelines itself. The one path by which the estimates
   * change.
   */
  public void measure(MessageKind kind, long elapsedNanos, long items) {
    tracker.update(kind.code(), elapsedNanos, items);
  }

  /** {@link #setIdle(MessageKind, int, long)} with the answer arriving now. */
  public boolean setIdle(MessageKind kind, int delivered) {
    return setIdle(kind, delivered, clock.nanos());
  }

  /**
   * How many items of {@code kind} to ask this peer for, to be answered within {@code
   * targetRttNanos}: the tracker's estimate, capped at {@link MessageKind#maxFetch()}. Lock-free;
   * always at least 1.
   */
  public int capacity(MessageKind kind, long targetRttNanos) {
    return Math.min(tracker.capacity(kind.code(), targetRttNanos), kind.maxFetch());
  }

  /**
   * Remembers that the peer does not have the item with this hash, forgetting the oldest such mark
   * if {@value #MAX_LACKING_HASHES} are already remembered. O(1).
   */
  public void markLacking(Hash hash) {
    synchronized (lacking) {
      if (lacking.contains(hash)) {
        return;
      }
      if (lacking.size() >= MAX_LACKING_HASHES) {
        Iterator<Hash> oldest = lacking.iterator();
        oldest.next();
        oldest.remove();
      }
      lacking.add(hash);
    }
  }

  /** Whether the peer is known not to have the item with this hash. O(1). */
  public boolean lacks(Hash hash) {
    synchronized (lacking) {
      return lacking.contains(hash);
    }
  }

  /** Number of hashes currently remembered as lacking (never above 4096). */
  int lackingCount() {
    synchronized (lacking) {
      return lacking.size();
    }
  }

  /**
   * Marks every kind idle and forgets the lacking hashes. Fetches still in flight are dropped from
   * the accounting: their {@link #setIdle} will return false.
   */
  public void reset() {
    busy.set(0);
    synchronized (lacking) {
      lacking.clear();
    }
  }

  @Override
  public String toString() {
    return "PeerConnection{" + id + ", eth/" + version + "}";
  }

  private boolean clearBusy(int bit) {
    int flags;
    do {
      flags = busy.get();
      if ((flags & bit) == 0) {
        return false; // a concurrent reset or settlement got there first
      }
    } while (!busy.compareAndSet(flags, flags & ~bit));
    return true;
  }

  /** {@code a - b}, saturated to the long range as Go's {@code Time.Sub} does. */
  private static long saturatedSub(long a, long b) {
    long d = a - b;
    if (((a ^ b) & (a ^ d)) < 0) {
      return a < b ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return d;
  }
}
