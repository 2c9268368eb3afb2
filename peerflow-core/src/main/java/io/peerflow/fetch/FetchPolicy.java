package io.peerflow.fetch;

import io.peerflow.peers.PeerConnection;
import java.util.List;
import java.util.Locale;

/**
 * How a {@link FetchScheduler} spends its peers: which peers get a request at each wake-up, how
 * many items each request asks for, how long to wait for it, and what to learn from its answer. The
 * scheduler owns the mechanics shared by every policy (reserving, sending, timeouts, stale requests
 * and the grace period, drops, join and leave); a policy only decides.
 *
 * <p>Built-in policies: {@link #geth()} (go-ethereum's, faithfully), {@link #fixed()} (the fixed
 * request size most clients use) and {@link #pipelined()} (ours, the default). They are plug-ins on
 * this one interface, chosen by name with {@link #byName}.
 *
 * <p>Concurrency: a policy instance may keep per-peer state and belongs to one scheduler run; its
 * methods are only ever called on that scheduler's thread, one at a time, so it needs no
 * synchronization. Create a fresh instance per scheduler.
 */
public interface FetchPolicy {

  /** The policy's name, as {@link #byName} knows it. */
  String name();

  /**
   * Whether the policy sends at most one request per peer and kind, through the {@link
   * PeerConnection}'s busy flag. Then the scheduler sends with {@link PeerConnection#fetch} and
   * settles every request with {@link PeerConnection#setIdle}, which feeds the round trip to the
   * peer's tracker as go-ethereum does. Otherwise the scheduler keeps its own count of requests in
   * flight, sends to the {@link io.peerflow.peers.RemotePeer} directly and leaves measuring to
   * {@link #onSettled}; the busy flag is then left alone, so {@link
   * io.peerflow.peers.PeerSet#idlePeers} does not see those requests.
   */
  boolean singleFlight();

  /**
   * The requests worth sending now, best first. The scheduler works through them in order until the
   * queue has nothing pending: it skips offers to peers that left (and, for single-flight policies,
   * to busy peers), reserves up to {@link Offer#items} for each and sends them. Called at every
   * wake-up while items are pending.
   */
  List<Offer> plan(FetchView view);

  /**
   * How long to wait for the answer to a request of {@code items} just reserved for {@code peer}.
   */
  long timeoutNanos(FetchView view, PeerConnection peer, int items);

  /**
   * A request was answered (in time, or late: see {@link Settlement#late()}). Single-flight
   * policies have already had the round trip measured by {@link PeerConnection#setIdle}.
   */
  default void onSettled(FetchView view, Settlement settlement) {}

  /**
   * A request for more than two items timed out and the peer is kept. go-ethereum's answer, the
   * default: set the peer's capacity for the kind to 0 (a tracker update with 0 items), so that it
   * gets minimal requests until it proves itself again.
   */
  default void onTimeout(FetchView view, PeerConnection peer, int failedItems) {
    peer.measure(view.kind(), 0, 0);
  }

  /**
   * The end game: the queue is closed and every item left is in a request in flight, so a request
   * answered late holds up the whole run. Returns when this request of {@code peer}'s (sent at
   * {@code sentAt}, for {@code items} items) stops being worth waiting for: from then its items are
   * handed to other peers and the request is treated as stale (the peer stays busy with it and may
   * still answer) without the timeout's penalty or drop. {@link Long#MAX_VALUE}, the default, keeps
   * the request's own timeout, as go-ethereum does.
   */
  default long endgameDeadline(FetchView view, PeerConnection peer, long sentAt, int items) {
    return Long.MAX_VALUE;
  }

  /** {@code peer} left or was dropped; forget what is kept about it. */
  default void onLeave(PeerConnection peer) {}

  /**
   * The policy's current estimate of how many items per second {@code peer} delivers, for reports
   * and charts. By default the peer's tracker's, at a one-second round trip.
   */
  default double rateEstimate(FetchView view, PeerConnection peer) {
    Double c = peer.tracker().capacities().get((long) view.kind().code());
    return c == null ? 0 : c;
  }

  /**
   * A request the policy would like sent: up to {@code items} items to {@code peer}.
   *
   * @param peer the peer
   * @param items most items to reserve, at least 1
   */
  record Offer(PeerConnection peer, int items) {
    public Offer {
      if (items < 1) {
        throw new IllegalArgumentException("an offer asks for at least one item: " + items);
      }
    }
  }

  /**
   * One answered request, as a policy learns from it.
   *
   * @param peer the peer that answered
   * @param requested items asked for
   * @param delivered items in the answer ({@link io.peerflow.peers.Response#itemCount()})
   * @param accepted items the queue accepted (0 for a late answer, which is not delivered)
   * @param sentAt when the request was sent
   * @param arrivedAt when the answer arrived
   * @param previousArrivalAt when the peer's previous answer to this scheduler arrived, or {@link
   *     Long#MIN_VALUE} if this is its first
   * @param itemsAhead items of earlier requests to the peer still in flight when this one was sent
   * @param late whether the request had already timed out
   */
  record Settlement(
      PeerConnection peer,
      int requested,
      int delivered,
      int accepted,
      long sentAt,
      long arrivedAt,
      long previousArrivalAt,
      int itemsAhead,
      boolean late) {}

  /** go-ethereum's concurrent fetcher policy; see {@link GethPolicy}. */
  static FetchPolicy geth() {
    return new GethPolicy();
  }

  /** Fixed-size requests to the least recently used idle peer; see {@link FixedPolicy}. */
  static FetchPolicy fixed() {
    return new FixedPolicy();
  }

  /**
   * Our policy: requests pipelined to each peer's bandwidth-delay product; see {@link
   * PipelinedPolicy}.
   */
  static FetchPolicy pipelined() {
    return new PipelinedPolicy();
  }

  /** The default policy, {@link #pipelined()}: the best in every simulated scenario. */
  static FetchPolicy standard() {
    return pipelined();
  }

  /** Names of the built-in policies, in the order reports list them. */
  static List<String> names() {
    return List.of("geth", "fixed", "pipelined");
  }

  /**
   * A fresh instance of the built-in policy with this name (case-insensitive).
   *
   * @throws IllegalArgumentException naming the known policies if there is none by that name
   */
  static FetchPolicy byName(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "geth":
        return geth();
      case "fixed":
        return fixed();
      case "pipelined":
        return pipelined();
      default:
        throw new IllegalArgumentException(
            "unknown policy '" + name + "' (known: " + String.join(", ", names()) + ")");
    }
  }
}
