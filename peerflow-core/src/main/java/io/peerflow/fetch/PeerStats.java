package io.peerflow.fetch;

import java.util.Optional;

/**
 * What one peer did during a fetch run, for reports: requests sent, items asked for and accepted,
 * timeouts, late answers, and whether (and why) the scheduler dropped it. A peer that left and came
 * back keeps one record under its id. Immutable snapshot.
 *
 * @param id the peer's id
 * @param requests requests sent
 * @param itemsRequested items in those requests
 * @param itemsAccepted items the queue accepted from the peer's answers
 * @param timeouts requests that timed out
 * @param lateAnswers answers that arrived after their request had timed out
 * @param dropReason why the scheduler dropped the peer, or {@code null} if it did not
 * @param rateEstimate the policy's estimate of the peer's items per second, at the time of the
 *     snapshot or when the peer left
 */
public record PeerStats(
    String id,
    long requests,
    long itemsRequested,
    long itemsAccepted,
    long timeouts,
    long lateAnswers,
    DropReason dropReason,
    double rateEstimate) {

  /** Why the scheduler dropped the peer, if it did. */
  public Optional<DropReason> dropped() {
    return Optional.ofNullable(dropReason);
  }
}
