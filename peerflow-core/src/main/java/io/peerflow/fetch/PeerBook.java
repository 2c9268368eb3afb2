package io.peerflow.fetch;

import io.peerflow.msgrate.Trackers;
import io.peerflow.peers.IdlePeers;
import io.peerflow.peers.MessageKind;
import io.peerflow.peers.PeerConnection;
import io.peerflow.peers.PeerSet;
import io.peerflow.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scheduler's books: per-peer request accounting (in flight, stale), per-peer statistics, and the
 * read-only {@link FetchView} its policy decides from. The scheduler decides what happens; this
 * class only keeps the counts straight.
 *
 * <p>Not thread-safe: confined to the scheduler's serial executor. Maps are insertion-ordered so
 * that everything derived from them (reports included) is deterministic.
 */
final class PeerBook<R extends Reservation> implements FetchView {

  private final PeerSet peers;
  private final FetchQueue<R> queue;
  private final Clock clock;
  private final MessageKind kind;
  private final int minVersion;
  private final int maxVersion;
  private final Map<String, PeerState<R>> states = new LinkedHashMap<>();
  private final Map<String, Counters> counters = new LinkedHashMap<>();
  private int live;
  private int stale;

  PeerBook(PeerSet peers, FetchQueue<R> queue, Clock clock, int minVersion, int maxVersion) {
    this.peers = peers;
    this.queue = queue;
    this.clock = clock;
    this.kind = queue.kind();
    this.minVersion = minVersion;
    this.maxVersion = maxVersion;
  }

  // --- accounting ------------------------------------------------------------------------------

  /** Records a request just sent. */
  void sent(InFlight<R> req) {
    PeerState<R> s = req.peer;
    s.live.add(req);
    s.liveItems += req.size;
    live++;
    Counters n = counters(s.id());
    n.requests++;
    n.itemsRequested += req.size;
  }

  /** Moves a request that timed out from in flight to stale. */
  void timedOut(InFlight<R> req) {
    PeerState<R> s = req.peer;
    removeLive(req);
    req.stale = true;
    s.stale.add(req);
    stale++;
    counters(s.id()).timeouts++;
  }

  /** Forgets an answered request, wherever it stood, and notes the arrival. */
  void answered(InFlight<R> req, long at) {
    PeerState<R> s = req.peer;
    if (req.stale) {
      s.stale.remove(req);
      stale--;
      counters(s.id()).lateAnswers++;
    } else {
      removeLive(req);
    }
    s.lastArrival = Math.max(s.lastArrival, at);
    s.idleSince = clock.nanos();
  }

  /**
   * Forgets a departed peer: returns its live requests (to be unreserved by the caller) after
   * marking all its requests settled. Empty if the peer was already forgotten.
   */
  List<InFlight<R>> forget(PeerState<R> s) {
    if (states.get(s.id()) != s) {
      return List.of();
    }
    states.remove(s.id());
    List<InFlight<R>> returned = new ArrayList<>(s.live);
    for (InFlight<R> req : s.live) {
      req.settled = true;
      req.cancelTimers();
    }
    for (InFlight<R> req : s.stale) {
      req.settled = true;
      req.cancelTimers();
    }
    live -= s.live.size();
    stale -= s.stale.size();
    s.live.clear();
    s.stale.clear();
    s.liveItems = 0;
    return returned;
  }

  void accepted(PeerState<R> s, int items) {
    counters(s.id()).itemsAccepted += items;
  }

  void dropped(PeerState<R> s, DropReason reason) {
    Counters n = counters(s.id());
    if (n.dropReason == null) {
      n.dropReason = reason;
    }
  }

  void rememberEstimate(PeerState<R> s, double estimate) {
    counters(s.id()).rateEstimate = estimate;
  }

  private void removeLive(InFlight<R> req) {
    PeerState<R> s = req.peer;
    s.live.remove(req);
    s.liveItems -= req.size;
    live--;
  }

  private Counters counters(String id) {
    return counters.computeIfAbsent(id, k -> new Counters());
  }

  // --- lookups ---------------------------------------------------------------------------------

  /** Every known peer's state, in the order first seen; a copy, safe to modify the books over. */
  List<PeerState<R>> states() {
    return new ArrayList<>(states.values());
  }

  /** The state of a peer seen before under this very connection, or null. */
  PeerState<R> known(PeerConnection c) {
    PeerState<R> s = states.get(c.id());
    return s != null && s.connection == c ? s : null;
  }

  /** The state of a peer whose older connection may still be on the books, or null. */
  PeerState<R> byId(String id) {
    return states.get(id);
  }

  /**
   * The state of {@code c}, created on first sight: a join may be seen in the peer set before its
   * event arrives. The caller must first {@link #forget} an older connection with the same id
   * ({@link #byId}).
   */
  PeerState<R> stateOf(PeerConnection c) {
    PeerState<R> s = known(c);
    if (s == null) {
      s = new PeerState<>(c, clock.nanos());
      states.put(c.id(), s);
      counters(c.id());
    }
    return s;
  }

  /** Whether {@code c} is the peer set's current connection for its id, in our version range. */
  boolean registered(PeerConnection c) {
    return inRange(c) && peers.peer(c.id()).orElse(null) == c;
  }

  int staleRequests() {
    return stale;
  }

  /** Whether no registered peer has a request of ours in flight or stale, or is held busy. */
  boolean allIdle(FlightRule flights) {
    for (PeerConnection c : peers()) {
      if (flights.heldBusy(c)) {
        return false;
      }
      PeerState<R> s = known(c);
      if (s != null && (!s.live.isEmpty() || !s.stale.isEmpty())) {
        return false;
      }
    }
    return true;
  }

  /** Statistics of every peer seen, estimates from {@code policy} for those still connected. */
  List<PeerStats> snapshot(FetchPolicy policy, boolean final_) {
    List<PeerStats> out = new ArrayList<>(counters.size());
    for (Map.Entry<String, Counters> e : counters.entrySet()) {
      Counters n = e.getValue();
      PeerState<R> s = states.get(e.getKey());
      double estimate =
          s != null && !final_ ? policy.rateEstimate(this, s.connection) : n.rateEstimate;
      out.add(
          new PeerStats(
              e.getKey(),
              n.requests,
              n.itemsRequested,
              n.itemsAccepted,
              n.timeouts,
              n.lateAnswers,
              n.dropReason,
              estimate));
    }
    return out;
  }

  private boolean inRange(PeerConnection c) {
    return c.version() >= minVersion && c.version() <= maxVersion;
  }

  // --- FetchView -------------------------------------------------------------------------------

  @Override
  public MessageKind kind() {
    return kind;
  }

  @Override
  public long now() {
    return clock.nanos();
  }

  @Override
  public Trackers trackers() {
    return peers.trackers();
  }

  @Override
  public int pending() {
    return queue.pending();
  }

  @Override
  public boolean queueClosed() {
    return queue.closed();
  }

  @Override
  public List<PeerConnection> peers() {
    List<PeerConnection> all = peers.peers();
    List<PeerConnection> out = new ArrayList<>(all.size());
    for (PeerConnection c : all) {
      if (inRange(c)) {
        out.add(c);
      }
    }
    return out;
  }

  @Override
  public IdlePeers idlePeers() {
    return peers.idlePeers(kind, minVersion, maxVersion);
  }

  @Override
  public int requestsInFlight(PeerConnection peer) {
    PeerState<R> s = known(peer);
    return s == null ? 0 : s.live.size();
  }

  @Override
  public int itemsInFlight(PeerConnection peer) {
    PeerState<R> s = known(peer);
    return s == null ? 0 : s.liveItems;
  }

  @Override
  public int requestsInFlight() {
    return live;
  }

  @Override
  public boolean hasStale(PeerConnection peer) {
    PeerState<R> s = known(peer);
    return s != null && !s.stale.isEmpty();
  }

  @Override
  public long idleSince(PeerConnection peer) {
    PeerState<R> s = known(peer);
    return s == null ? clock.nanos() : s.idleSince;
  }

  /** Mutable per-peer counters behind {@link PeerStats}. */
  private static final class Counters {
    long requests;
    long itemsRequested;
    long itemsAccepted;
    long timeouts;
    long lateAnswers;
    DropReason dropReason;
    double rateEstimate;
  }
}
