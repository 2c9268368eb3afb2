package io.peerflow.msgrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.peerflow.time.VirtualTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrackersTest {

  private static final long SECOND = 1_000_000_000L;
  private static final long HOUR = 3600 * SECOND;

  private final VirtualTime time = new VirtualTime();

  private static Tracker withRtt(long rtt) {
    return new Tracker(Map.of(), rtt);
  }

  @Test
  void anEmptyGroupAssumesTheLongestRoundTrip() {
    Trackers group = new Trackers(time);
    assertThat(group.medianRoundTrip()).isEqualTo(20 * SECOND);
    assertThat(group.meanCapacities()).isEmpty();
    assertThat(group.targetRoundTrip()).isEqualTo(18 * SECOND);
    assertThat(group.targetTimeout()).isEqualTo(60 * SECOND);
  }

  @Test
  void trackingAnIdTwiceFails() {
    Trackers group = new Trackers(time);
    group.track("a", withRtt(SECOND));
    assertThatThrownBy(() -> group.track("a", withRtt(SECOND)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("already tracking");
    assertThat(group.size()).isEqualTo(1);
  }

  @Test
  void untrackingAnUnknownIdFails() {
    Trackers group = new Trackers(time);
    assertThatThrownBy(() -> group.untrack("a"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("not tracking");
    group.track("a", withRtt(SECOND));
    group.untrack("a");
    assertThat(group.size()).isZero();
  }

  @Test
  void medianIsTheElementAtTheSquareRootOfTheCount() {
    Trackers group = new Trackers(time);
    long[] rtts = {7, 3, 6, 4, 5}; // seconds; sorted 3 4 5 6 7, floor(sqrt(5)) = 2
    for (int i = 0; i < rtts.length; i++) {
      group.track("p" + i, withRtt(rtts[i] * SECOND));
    }
    assertThat(group.medianRoundTrip()).isEqualTo(5 * SECOND);
    group.untrack("p4"); // 3 4 6 7, floor(sqrt(4)) = 2
    assertThat(group.medianRoundTrip()).isEqualTo(6 * SECOND);
    group.untrack("p0"); // 3 4 6, floor(sqrt(3)) = 1
    assertThat(group.medianRoundTrip()).isEqualTo(4 * SECOND);
  }

  @Test
  void medianOfASinglePeerIsItsRoundTrip() {
    Trackers group = new Trackers(time);
    group.track("a", withRtt(7 * SECOND + 3));
    assertThat(group.medianRoundTrip()).isEqualTo(7 * SECOND + 3);
  }

  @Test
  void medianIsClampedToTwoAndTwentySeconds() {
    Trackers fast = new Trackers(time);
    fast.track("a", withRtt(SECOND / 10));
    assertThat(fast.medianRoundTrip()).isEqualTo(2 * SECOND);
    Trackers slow = new Trackers(time);
    slow.track("a", withRtt(98_092_692_237_655L));
    assertThat(slow.medianRoundTrip()).isEqualTo(20 * SECOND);
  }

  @Test
  void meanAveragesEachKindOverAllPeersCountingMissingKindsAsZero() {
    Trackers group = new Trackers(time);
    group.track("a", new Tracker(Map.of(4L, 10.0), SECOND));
    group.track("b", new Tracker(Map.of(4L, 30.0, 6L, 8.0), SECOND));
    assertThat(group.meanCapacities()).containsOnlyKeys(4L, 6L);
    assertThat(group.meanCapacities().get(4L)).isCloseTo(20.0, within(1e-12));
    assertThat(group.meanCapacities().get(6L)).isCloseTo(4.0, within(1e-12));
  }

  @Test
  void targetTimeoutIsCappedAtTheConfiguredLimit() {
    Trackers group = new Trackers(time, 10 * SECOND);
    assertThat(group.targetTimeout()).isEqualTo(10 * SECOND);
    assertThatThrownBy(() -> new Trackers(time, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void eachJoiningPeerLowersTheConfidenceByNMinusOneOverN() {
    Trackers group = new Trackers(time, HOUR);
    group.track("p1", withRtt(SECOND));
    assertThat(group.targetTimeout()).isEqualTo(60 * SECOND); // 3 x 20 s / 1
    group.track("p2", withRtt(SECOND));
    assertThat(group.targetTimeout()).isEqualTo(120 * SECOND); // confidence 1/2
    group.track("p3", withRtt(SECOND));
    // confidence 1/2 x 2/3 = 1/3; float math may land a nanosecond short of 180 s
    assertThat(group.targetTimeout()).isCloseTo(180 * SECOND, within(1L));
  }

  @Test
  void aSinglePeerRestoresFullConfidence() {
    Trackers group = new Trackers(time, HOUR);
    group.track("p1", withRtt(SECOND));
    group.track("p2", withRtt(SECOND));
    group.untrack("p1");
    group.untrack("p2");
    group.track("p3", withRtt(SECOND));
    assertThat(group.targetTimeout()).isEqualTo(60 * SECOND);
  }

  @Test
  void tenOrMorePeersLeaveTheConfidenceUnchanged() {
    Trackers group = new Trackers(time, HOUR);
    for (int i = 1; i <= 9; i++) {
      group.track("p" + i, withRtt(SECOND));
    }
    long withNine = group.targetTimeout();
    assertThat(withNine).isCloseTo(540 * SECOND, within(1L)); // confidence 1/9
    group.track("p10", withRtt(SECOND));
    group.track("p11", withRtt(SECOND));
    assertThat(group.targetTimeout()).isEqualTo(withNine);
  }

  @Test
  void confidenceNeverDropsBelowOneTenth() {
    Trackers group = new Trackers(time, HOUR);
    for (int i = 1; i <= 9; i++) {
      group.track("p" + i, withRtt(SECOND));
    }
    group.untrack("p9");
    group.track("p9", withRtt(SECOND)); // 1/9 x 8/9 < 0.1
    assertThat(group.targetTimeout()).isEqualTo(600 * SECOND);
  }

  @Test
  void tuningWaitsMoreThanOneRoundTrip() {
    Trackers group = new Trackers(time);
    group.track("a", withRtt(2 * SECOND));
    time.advance(20 * SECOND);
    assertThat(group.targetRoundTrip()).isEqualTo(18 * SECOND);
    time.advance(1);
    // 0.75 x 20 s + 0.25 x 2 s = 15.5 s, pushed down to 13.95 s
    assertThat(group.targetRoundTrip()).isEqualTo(13_950_000_000L);
  }

  @Test
  void tuningMovesConfidenceHalfwayToOne() {
    Trackers group = new Trackers(time, HOUR);
    group.track("a", withRtt(20 * SECOND));
    group.track("b", withRtt(20 * SECOND)); // confidence 1/2, timeout 120 s
    time.advance(20 * SECOND + 1);
    // median stays 20 s, confidence 3/4: 60 s / 0.75
    assertThat(group.targetTimeout()).isEqualTo(80 * SECOND);
    time.advance(20 * SECOND + 1); // confidence 7/8
    assertThat(group.targetTimeout()).isCloseTo(68_571_428_571L, within(1L));
  }

  @Test
  void tuningHappensAtMostOncePerRoundTrip() {
    Trackers group = new Trackers(time, HOUR);
    group.track("a", withRtt(20 * SECOND));
    group.track("b", withRtt(20 * SECOND));
    time.advance(20 * SECOND + 1);
    long tuned = group.targetTimeout();
    time.advance(10 * SECOND);
    assertThat(group.targetTimeout()).isEqualTo(tuned);
    assertThat(group.targetRoundTrip()).isEqualTo(18 * SECOND);
  }

  @Test
  void capacityOfAnUnknownPeerIsOne() {
    Trackers group = new Trackers(time);
    assertThat(group.capacity("ghost", 4, HOUR)).isEqualTo(1);
    group.track("a", new Tracker(Map.of(4L, 100.0), SECOND));
    assertThat(group.capacity("a", 4, SECOND)).isEqualTo(102); // 1 + 1.01 x 100 = 102
  }

  @Test
  void updatesReachTheNamedPeerAndIgnoreUnknownOnes() {
    Trackers group = new Trackers(time);
    Tracker a = new Tracker(Map.of(), SECOND);
    group.track("a", a);
    group.update("ghost", 4, SECOND, 10);
    group.update("a", 4, SECOND, 10);
    assertThat(a.capacities()).containsEntry(4L, 1.0);
  }
}
