package io.peerflow.fetch;

import io.peerflow.msgrate.Trackers;
import io.peerflow.peers.IdlePeers;
import io.peerflow.peers.MessageKind;
import io.peerflow.peers.PeerConnection;
import java.util.List;

/**
 * What a {@link FetchPolicy} sees of its scheduler when it decides: the peers, the requests in
 * flight to each, the queue's backlog and the clock.
 *
 * <p>Valid only during the policy call it is passed to, and only on the scheduler's thread (it
 * reads the scheduler's unsynchronized state). "In flight" means sent and neither answered nor
 * timed out; a request that timed out and is still unanswered is "stale".
 */
public interface FetchView {

  /** The kind being fetched. */
  MessageKind kind();

  /** Now, on the scheduler's clock, in nanoseconds. */
  long now();

  /** The peer set's throughput trackers (target round trip, target timeout). */
  Trackers trackers();

  /** Items waiting in the queue's pool ({@link FetchQueue#pending()}). */
  int pending();

  /** Whether the queue will receive no more items ({@link FetchQueue#closed()}). */
  boolean queueClosed();

  /** Registered peers in the scheduler's protocol version range, in order of registration. */
  List<PeerConnection> peers();

  /**
   * The peers idle for this kind by their busy flag, highest capacity first, as go-ethereum selects
   * them ({@link io.peerflow.peers.PeerSet#idlePeers}).
   */
  IdlePeers idlePeers();

  /** Requests in flight to {@code peer}. */
  int requestsInFlight(PeerConnection peer);

  /** Items in the requests in flight to {@code peer}. */
  int itemsInFlight(PeerConnection peer);

  /** Requests in flight over all peers. */
  int requestsInFlight();

  /** Whether {@code peer} has a timed-out request it has not answered yet. */
  boolean hasStale(PeerConnection peer);

  /**
   * When {@code peer} last answered, or was first seen if it never did: how long it has been
   * waiting for work if it has none in flight.
   */
  long idleSince(PeerConnection peer);
}
