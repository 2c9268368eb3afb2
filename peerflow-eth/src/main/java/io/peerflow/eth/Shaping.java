package io.peerflow.eth;

import java.time.Duration;

/**
 * How a {@link ShapedServing} slows a node's answers, to stand in for peers of given bandwidth and
 * distance in tests and benchmarks: every reply waits {@code latency}, and all replies share a
 * budget of {@code itemsPerSecond} (headers, bodies and receipt lists alike), queueing behind each
 * other when it is spent. Immutable; the budget itself lives in the {@link ShapedServing}.
 *
 * @param itemsPerSecond items served per second over all connections; 0 for no limit
 * @param latency added to every reply
 */
public record Shaping(double itemsPerSecond, Duration latency) {

  /** No shaping: answers go out as fast as they are read from the source. */
  public static final Shaping NONE = new Shaping(0, Duration.ZERO);

  public Shaping {
    if (itemsPerSecond < 0 || Double.isNaN(itemsPerSecond)) {
      throw new IllegalArgumentException(
          "rate must be 0 (unlimited) or positive: " + itemsPerSecond);
    }
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency cannot be negative: " + latency);
    }
  }
}
