package io.peerflow.msgrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TrackerPropertiesTest {

  /** One measurement: kind, elapsed nanos, items. */
  record Measurement(long kind, long elapsed, long items) {}

  @Provide
  Arbitrary<Measurement> measurements() {
    Arbitrary<Long> kinds = Arbitraries.of(4L, 6L, 14L, 16L);
    Arbitrary<Long> elapsed =
        Arbitraries.oneOf(
            Arbitraries.longs(),
            Arbitraries.longs().between(-1000, 1000),
            Arbitraries.longs().between(1, 1_000_000_000_000_000L));
    Arbitrary<Long> items =
        Arbitraries.oneOf(
            Arbitraries.longs(),
            Arbitraries.longs().between(0, 3_000_000_000L),
            Arbitraries.just(0L));
    return Combinators.combine(kinds, elapsed, items).as(Measurement::new);
  }

  @Provide
  Arbitrary<List<Measurement>> updateLists() {
    return measurements().list().ofMaxSize(30);
  }

  @Provide
  Arbitrary<List<Measurement>> nonEmptyUpdateLists() {
    return measurements().list().ofMinSize(1).ofMaxSize(10);
  }

  @Provide
  Arbitrary<Long> roundTrips() {
    return Arbitraries.oneOf(
        Arbitraries.longs(),
        Arbitraries.of(0L, 1L, -1L, Long.MAX_VALUE, Long.MIN_VALUE),
        Arbitraries.longs().between(0, 60_000_000_000L));
  }

  @Property
  void capacityIsAlwaysBetweenOneAndIntegerMax(
      @ForAll("updateLists") List<Measurement> updates,
      @ForAll("roundTrips") long initialRtt,
      @ForAll("roundTrips") long targetRtt) {
    Tracker t = new Tracker(Map.of(), initialRtt);
    for (Measurement m : updates) {
      t.update(m.kind(), m.elapsed(), m.items());
      for (long kind : new long[] {4, 6, 14, 16}) {
        assertThat(t.capacity(kind, targetRtt)).isBetween(1, Integer.MAX_VALUE);
      }
    }
  }

  @Property
  void capacityNeverShrinksAsTheTargetRoundTripGrows(
      @ForAll("nonEmptyUpdateLists") List<Measurement> updates,
      @ForAll("roundTrips") long a,
      @ForAll("roundTrips") long b) {
    Tracker t = new Tracker(Map.of(), 0);
    updates.forEach(m -> t.update(m.kind(), m.elapsed(), m.items()));
    long shorter = Math.min(a, b);
    long longer = Math.max(a, b);
    for (long kind : new long[] {4, 6, 14, 16}) {
      if (t.capacities().getOrDefault(kind, 0.0) >= 0) {
        assertThat(t.capacity(kind, longer)).isGreaterThanOrEqualTo(t.capacity(kind, shorter));
      }
    }
  }
}
