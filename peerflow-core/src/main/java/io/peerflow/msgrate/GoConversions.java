package io.peerflow.msgrate;

/**
 * The few numeric conversions whose edge cases differ between Go and Java, written the Go way.
 *
 * <p>Stateless; safe from any thread. The reference keeps durations as int64 nanoseconds and does
 * its arithmetic in float64, converting back with {@code time.Duration(x)}. For values in range
 * both languages truncate toward zero, but out of range they part ways: Java saturates, while Go on
 * amd64 (where the reference traces were recorded) yields the "integer indefinite" value {@code
 * math.MinInt64}, as does NaN. Keeping that quirk lets extreme inputs replay to the bit; the
 * callers clamp wherever the result feeds a decision.
 */
final class GoConversions {

  private static final double TWO_TO_63 = 0x1p63;

  private GoConversions() {}

  /** {@code int64(x)} as Go computes it on amd64. */
  static long toInt64(double x) {
    if (x >= TWO_TO_63 || x < -TWO_TO_63 || Double.isNaN(x)) {
      return Long.MIN_VALUE;
    }
    return (long) x;
  }
}
