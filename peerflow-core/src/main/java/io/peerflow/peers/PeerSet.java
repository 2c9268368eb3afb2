package io.peerflow.peers;

import io.peerflow.msgrate.Tracker;
import io.peerflow.msgrate.Trackers;
import io.peerflow.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The active peers taking part in a download, with their shared throughput {@link Trackers}:
 * registration, lookup, idle-peer selection, and join/leave events.
 *
 * <p>Thread-safe. Registration and removal are serialized on a private lock, which also orders
 * events: each subscriber receives joins and leaves in the order the set changed. Events are
 * delivered outside that lock, on each subscriber's own executor, so a slow subscriber delays only
 * itself. Reads ({@link #peer}, {@link #peers}, {@link #size}, {@link #idlePeers}) take no lock:
 * they see an immutable snapshot of the membership, replaced on every change (a change costs O(n),
 * a read nothing but the work it does).
 */
public final class PeerSet {

  /** Round trip at which idle peers are ranked: one second, i.e. items per second. */
  private static final long RANKING_RTT_NANOS = 1_000_000_000L;

  private final Trackers trackers;
  private final Clock clock;

  /** Guards membership changes and event ordering. */
  private final Object lock = new Object();

  /** Written under {@link #lock}, read anywhere. */
  private final ConcurrentHashMap<String, PeerConnection> byId = new ConcurrentHashMap<>();

  /** Every registered peer in order of registration; replaced, never mutated, under the lock. */
  private volatile PeerConnection[] snapshot = new PeerConnection[0];

  private final CopyOnWriteArrayList<Subscriber> subscribers = new CopyOnWriteArrayList<>();

  /** An empty set whose trackers measure time on {@code clock}, with default settings. */
  public PeerSet(Clock clock) {
    this(new Trackers(clock));
  }

  /**
   * An empty set over {@code trackers} (for a custom timeout ceiling). The set owns them: track and
   * untrack peers only through the set.
   */
  public PeerSet(Trackers trackers) {
    this.trackers = trackers;
    this.clock = trackers.clock();
  }

  /** The group of throughput trackers, for the target round trip and request timeout. */
  public Trackers trackers() {
    return trackers;
  }

  /**
   * Adds a peer speaking protocol {@code version}. Its tracker starts from the mean capacities and
   * the median round trip of the peers already present, which gives it a fair first chance.
   * Subscribers then receive a {@link PeerEvent.Type#JOIN} event.
   *
   * @return the new connection
   * @throws PeerException "already registered" if a peer with the same id is present
   */
  public PeerConnection register(RemotePeer peer, int version) {
    String id = peer.id();
    PeerConnection connection;
    synchronized (lock) {
      if (byId.containsKey(id)) {
        throw new PeerException(PeerException.Reason.ALREADY_REGISTERED);
      }
      Tracker tracker = new Tracker(trackers.meanCapacities(), trackers.medianRoundTrip());
      trackers.track(id, tracker);
      connection = new PeerConnection(peer, version, tracker, clock);
      byId.put(id, connection);
      PeerConnection[] next = Arrays.copyOf(snapshot, snapshot.length + 1);
      next[next.length - 1] = connection;
      snapshot = next;
      publish(new PeerEvent(PeerEvent.Type.JOIN, connection));
    }
    dispatch();
    return connection;
  }

  /**
   * Removes the peer with this id, whichever connection it is registered under; nothing further is
   * asked of it through the set. Subscribers then receive a {@link PeerEvent.Type#LEAVE} event. For
   * a transport that knows only ids; code holding a {@link PeerConnection} should use {@link
   * #unregister(PeerConnection)}, which cannot remove a newer connection by mistake.
   *
   * @return the removed connection
   * @throws PeerException "not registered" if no such peer is present
   */
  public PeerConnection unregister(String id) {
    PeerConnection connection;
    synchronized (lock) {
      connection = byId.get(id);
      if (connection == null) {
        throw new PeerException(PeerException.Reason.NOT_REGISTERED);
      }
      remove(connection);
    }
    dispatch();
    return connection;
  }

  /**
   * Removes this very connection if it is still registered; subscribers then receive a {@link
   * PeerEvent.Type#LEAVE} event. A peer that left and registered again under the same id is a new
   * connection and stays: a late decision about the old one (a drop for an answer it gave before it
   * left) cannot remove it. Never throws.
   *
   * @return whether {@code connection} was registered and is now removed
   */
  public boolean unregister(PeerConnection connection) {
    synchronized (lock) {
      if (byId.get(connection.id()) != connection) {
        return false;
      }
      remove(connection);
    }
    dispatch();
    return true;
  }

  /** Takes a registered connection out of the set and queues its event. Caller holds the lock. */
  private void remove(PeerConnection connection) {
    byId.remove(connection.id());
    trackers.untrack(connection.id());
    PeerConnection[] current = snapshot;
    PeerConnection[] next = new PeerConnection[current.length - 1];
    int j = 0;
    for (PeerConnection p : current) {
      if (p != connection) {
        next[j++] = p;
      }
    }
    snapshot = next;
    publish(new PeerEvent(PeerEvent.Type.LEAVE, connection));
  }

  /** The peer with this id, if registered. Lock-free. */
  public Optional<PeerConnection> peer(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** Number of registered peers. */
  public int size() {
    return snapshot.length;
  }

  /** Every registered peer, in order of registration, as of one moment. O(n). */
  public List<PeerConnection> peers() {
    return List.of(snapshot);
  }

  /** {@link PeerConnection#reset() Resets} every registered peer. */
  public void reset() {
    for (PeerConnection p : snapshot) {
      p.reset();
    }
  }

  /**
   * The peers idle for {@code kind} among those whose protocol version lies in {@code [minVersion,
   * maxVersion]}, by their tracker's capacity at a one-second round trip, highest first (ties in
   * registration order), together with the number of peers in that version range, idle or not. O(n
   * log n) in the number of idle peers, lock-free.
   */
  public IdlePeers idlePeers(MessageKind kind, int minVersion, int maxVersion) {
    PeerConnection[] all = snapshot;
    // Sort primitive keys rather than objects: the high half orders by capacity, descending, the
    // low half keeps registration order among equals and leads back to the peer.
    long[] keys = new long[all.length];
    int idle = 0;
    int total = 0;
    for (int i = 0; i < all.length; i++) {
      PeerConnection p = all[i];
      if (p.version() >= minVersion && p.version() <= maxVersion) {
        total++;
        if (p.isIdle(kind)) {
          int capacity = p.tracker().capacity(kind.code(), RANKING_RTT_NANOS);
          keys[idle++] = ((long) (Integer.MAX_VALUE - capacity) << 32) | i;
        }
      }
    }
    Arrays.sort(keys, 0, idle);
    PeerConnection[] peers = new PeerConnection[idle];
    int[] capacities = new int[idle];
    for (int i = 0; i < idle; i++) {
      peers[i] = all[(int) keys[i]];
      capacities[i] = Integer.MAX_VALUE - (int) (keys[i] >>> 32);
    }
    return new IdlePeers(peers, capacities, total);
  }

  /**
   * Subscribes {@code listener} to join and leave events of every change made after this call.
   * Events reach it in the order of the changes, one at a time, run by {@code executor}; a listener
   * that throws is logged and keeps its subscription. With a direct executor ({@code
   * Runnable::run}) events are delivered on the changing thread, after the set's lock is released.
   */
  public Subscription subscribe(Consumer<? super PeerEvent> listener, Executor executor) {
    Subscriber subscriber = new Subscriber(listener, executor, subscribers::remove);
    synchronized (lock) {
      subscribers.add(subscriber);
    }
    return subscriber;
  }

  /** A subscription to a set's events; closing it stops deliveries not yet started. */
  public interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  /** Queues an event for every subscriber. Caller holds {@link #lock}. */
  private void publish(PeerEvent event) {
    for (Subscriber s : subscribers) {
      s.enqueue(event);
    }
  }

  /** Starts deliveries of queued events. Called after releasing {@link #lock}. */
  private void dispatch() {
    for (Subscriber s : subscribers) {
      s.dispatch();
    }
  }
}
