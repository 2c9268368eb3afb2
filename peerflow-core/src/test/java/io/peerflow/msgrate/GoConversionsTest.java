package io.peerflow.msgrate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GoConversionsTest {

  @Test
  void inRangeValuesTruncateTowardZero() {
    assertThat(GoConversions.toInt64(2.9)).isEqualTo(2);
    assertThat(GoConversions.toInt64(-2.9)).isEqualTo(-2);
    assertThat(GoConversions.toInt64(7e14)).isEqualTo(700_000_000_000_000L);
  }

  @Test
  void outOfRangeAndNanBecomeMinInt64AsOnAmd64() {
    assertThat(GoConversions.toInt64(0x1p63)).isEqualTo(Long.MIN_VALUE);
    assertThat(GoConversions.toInt64(1e300)).isEqualTo(Long.MIN_VALUE);
    assertThat(GoConversions.toInt64(-1e300)).isEqualTo(Long.MIN_VALUE);
    assertThat(GoConversions.toInt64(Double.NaN)).isEqualTo(Long.MIN_VALUE);
    assertThat(GoConversions.toInt64(Double.POSITIVE_INFINITY)).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void theEdgesOfTheRangeConvertExactly() {
    assertThat(GoConversions.toInt64(-0x1p63)).isEqualTo(Long.MIN_VALUE);
    assertThat(GoConversions.toInt64(Math.nextDown(0x1p63))).isEqualTo(0x7ffffffffffffc00L);
  }
}
