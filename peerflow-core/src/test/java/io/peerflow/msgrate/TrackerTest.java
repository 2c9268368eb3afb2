package io.peerflow.msgrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class TrackerTest {

  private static final long SECOND = 1_000_000_000L;
  private static final long HEADERS = 4;
  private static final long BODIES = 6;

  @Test
  void aMeasurementMovesTheCapacityATenthOfTheWay() {
    Tracker t = new Tracker(Map.of(HEADERS, 100.0), 0);
    t.update(HEADERS, 2 * SECOND, 400); // 200 items/s measured
    assertThat(t.capacities().get(HEADERS)).isCloseTo(0.9 * 100 + 0.1 * 200, within(1e-9));
  }

  @Test
  void aMeasurementMovesTheRoundTripATenthOfTheWay() {
    Tracker t = new Tracker(Map.of(), 10 * SECOND);
    t.update(HEADERS, 20 * SECOND, 1);
    assertThat(t.roundTrip()).isEqualTo(11 * SECOND);
  }

  @Test
  void capacityIsOnePlusOnePercentOverTheRateTimesTheRoundTripRoundedUp() {
    Tracker t = new Tracker(Map.of(HEADERS, 10.0), SECOND);
    // 1 + 1.01 * 10 items/s * 1 s = 11.1 -> 12
    assertThat(t.capacity(HEADERS, SECOND)).isEqualTo(12);
    // 1 + 1.01 * 10 * 0.5 = 6.05 -> 7
    assertThat(t.capacity(HEADERS, SECOND / 2)).isEqualTo(7);
  }

  @Test
  void deliveringZeroItemsDropsCapacityToZero() {
    Tracker t = new Tracker(Map.of(HEADERS, 1000.0), 5 * SECOND);
    t.update(HEADERS, SECOND, 0);
    assertThat(t.capacities()).containsEntry(HEADERS, 0.0);
    assertThat(t.capacity(HEADERS, 10 * SECOND)).isEqualTo(1);
  }

  @Test
  void deliveringZeroItemsLeavesTheRoundTripAlone() {
    Tracker t = new Tracker(Map.of(), 5 * SECOND);
    t.update(HEADERS, 100 * SECOND, 0);
    assertThat(t.roundTrip()).isEqualTo(5 * SECOND);
  }

  @Test
  void deliveringZeroItemsOfAnUnseenKindRecordsAZeroCapacity() {
    Tracker t = new Tracker(Map.of(), 0);
    t.update(BODIES, SECOND, 0);
    assertThat(t.capacities()).containsOnlyKeys(BODIES).containsEntry(BODIES, 0.0);
  }

  @Test
  void elapsedOfZeroOrLessCountsAsOneNanosecond() {
    Tracker zero = new Tracker(Map.of(), 0);
    Tracker negative = new Tracker(Map.of(), 0);
    zero.update(HEADERS, 0, 3);
    negative.update(HEADERS, -481, 3);
    // 3 items in 1 ns = 3e9 items/s, a tenth of which is taken
    assertThat(zero.capacities().get(HEADERS)).isEqualTo(3e8);
    assertThat(negative.capacities()).isEqualTo(zero.capacities());
    assertThat(zero.roundTrip()).isZero(); // 0.1 ns truncates to 0
  }

  @Test
  void unknownKindsHaveNoCapacityButStillGetOneItem() {
    Tracker t = new Tracker(Map.of(HEADERS, 50.0), SECOND);
    assertThat(t.capacity(BODIES, 100 * SECOND)).isEqualTo(1);
  }

  @Test
  void kindsAreTrackedIndependently() {
    Tracker t = new Tracker(Map.of(HEADERS, 10.0, BODIES, 20.0), SECOND);
    t.update(BODIES, SECOND, 0);
    assertThat(t.capacities()).containsEntry(HEADERS, 10.0).containsEntry(BODIES, 0.0);
  }

  @Test
  void hugeRoundTripsAreCappedAtIntegerMax() {
    Tracker t = new Tracker(Map.of(HEADERS, 1e12), SECOND);
    assertThat(t.capacity(HEADERS, Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void negativeRoundTripsOrCapacitiesStillGiveOneItem() {
    Tracker t = new Tracker(Map.of(HEADERS, 1e6, BODIES, -5.0), SECOND);
    assertThat(t.capacity(HEADERS, -SECOND)).isEqualTo(1);
    assertThat(t.capacity(BODIES, SECOND)).isEqualTo(1);
    assertThat(t.capacity(HEADERS, Long.MIN_VALUE)).isEqualTo(1);
  }

  @Test
  void roundingHandlesNanAndInfinity() {
    assertThat(Tracker.roundCapacity(Double.NaN)).isEqualTo(1);
    assertThat(Tracker.roundCapacity(Double.POSITIVE_INFINITY)).isEqualTo(Integer.MAX_VALUE);
    assertThat(Tracker.roundCapacity(Double.NEGATIVE_INFINITY)).isEqualTo(1);
    assertThat(Tracker.roundCapacity(2.0000001)).isEqualTo(3);
    assertThat(Tracker.roundCapacity(2.0)).isEqualTo(2);
  }

  @Test
  void aTwoBillionItemDeliveryStaysFinite() {
    Tracker t = new Tracker(Map.of(), 0);
    t.update(HEADERS, 1, 2_019_421_780L);
    assertThat(t.capacities().get(HEADERS)).isEqualTo(0.1 * 2_019_421_780e9);
    assertThat(t.capacity(HEADERS, SECOND)).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void capacitiesIsASnapshotSortedByKind() {
    Tracker t = new Tracker(Map.of(16L, 1.0, 4L, 2.0, 6L, 3.0), 0);
    Map<Long, Double> before = t.capacities();
    t.update(4, SECOND, 0);
    assertThat(before.keySet()).containsExactly(4L, 6L, 16L);
    assertThat(before).containsEntry(4L, 2.0);
  }

  @Test
  void concurrentUpdatesOfDifferentKindsAreAllKept() throws InterruptedException {
    Tracker t = new Tracker(Map.of(), SECOND);
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int k = 0; k < threads; k++) {
      long kind = k;
      Thread w =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                for (int i = 0; i < 2000; i++) {
                  t.update(kind, SECOND, 10);
                }
              });
      w.start();
      workers.add(w);
    }
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }
    Map<Long, Double> caps = t.capacities();
    assertThat(caps).hasSize(threads);
    // 2000 tenth-way steps from 0 towards 10 end at 10 within rounding
    caps.values().forEach(c -> assertThat(c).isCloseTo(10.0, within(1e-9)));
  }
}
