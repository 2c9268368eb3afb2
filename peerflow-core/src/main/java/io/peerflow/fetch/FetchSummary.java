package io.peerflow.fetch;

import io.peerflow.peers.MessageKind;
import java.util.List;

/**
 * The outcome of a finished fetch run: what was fetched, by which policy, how long it took on the
 * scheduler's clock, and what every peer that took part did. Immutable.
 *
 * @param kind the kind fetched
 * @param policy the policy's name
 * @param elapsedNanos from {@link FetchScheduler#start()} to the end, on the scheduler's clock
 * @param peers per-peer statistics, in the order peers were first seen
 */
public record FetchSummary(
    MessageKind kind, String policy, long elapsedNanos, List<PeerStats> peers) {

  public FetchSummary {
    peers = List.copyOf(peers);
  }

  /** Items accepted over all peers. */
  public long itemsAccepted() {
    long sum = 0;
    for (PeerStats p : peers) {
      sum += p.itemsAccepted();
    }
    return sum;
  }
}
