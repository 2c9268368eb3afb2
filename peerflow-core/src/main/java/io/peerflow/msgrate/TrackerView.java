package io.peerflow.msgrate;

import java.util.Map;

/**
 * A read-only view of one peer's {@link Tracker}: its estimates, never a way to change them. Handed
 * out where many components read a peer's throughput but one path feeds it (in the peer layer,
 * {@code PeerConnection}), so that a reader cannot become a second writer by accident.
 *
 * <p>Thread-safe and lock-free, as the tracker's reads are; always shows the tracker's latest
 * estimates.
 */
public final class TrackerView {

  private final Tracker tracker;

  TrackerView(Tracker tracker) {
    this.tracker = tracker;
  }

  /** See {@link Tracker#capacity}. */
  public int capacity(long kind, long targetRttNanos) {
    return tracker.capacity(kind, targetRttNanos);
  }

  /** See {@link Tracker#roundTrip}. */
  public long roundTrip() {
    return tracker.roundTrip();
  }

  /** See {@link Tracker#capacities}. */
  public Map<Long, Double> capacities() {
    return tracker.capacities();
  }

  @Override
  public String toString() {
    return tracker.toString();
  }
}
