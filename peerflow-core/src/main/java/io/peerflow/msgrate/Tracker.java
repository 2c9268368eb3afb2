package io.peerflow.msgrate;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Estimates, for one peer, how many items of each message kind it delivers per second and how long
 * it usually takes to answer, so that requests can be sized to what the peer can serve.
 *
 * <p>Thread-safe. Reads ({@link #capacity}, {@link #roundTrip}) are lock-free: the estimates are an
 * immutable snapshot behind a volatile field. {@link #update} calls are serialized on the tracker's
 * monitor and each publishes a new snapshot, so a reader always sees the capacities and round trip
 * of one consistent moment.
 *
 * <p>The model, following go-ethereum's {@code msgrate}: capacity is counted in items, not bytes,
 * because a serving node spends much of its time looking items up on disk, a cost that grows with
 * the number of items and hardly with their size (a caller whose protocol is capped in bytes may
 * feed byte counts instead). Every measurement moves the estimate a fixed fraction of the way
 * toward what was just observed. The round trip is not used here; it exists so that peers can be
 * compared with each other, which is only meaningful when every peer is sent requests sized for the
 * same target round trip.
 *
 * <p>A message kind is any {@code long} code (the wire code in peerflow's peer layer). Several
 * trackers may follow the same peer in different subsystems; the peer's throughput then simply
 * splits between them.
 */
public final class Tracker {

  /**
   * Share of a new measurement in the capacity and round-trip averages. Small values ride out
   * one-off hiccups but follow real changes in the network slowly; 0.1 is what go-ethereum has used
   * for most of its life, and the traces we replay depend on it.
   */
  static final double MEASUREMENT_IMPACT = 0.1;

  /**
   * Weight kept by the old estimate, {@code 1 - MEASUREMENT_IMPACT}. Written out rather than
   * computed so that it is the double nearest to 0.9, exactly the constant Go folds at compile
   * time.
   */
  private static final double MEASUREMENT_RETAIN = 0.9;

  /**
   * Factor by which a capacity is inflated when it is handed out. Asking for slightly more than the
   * peer has shown it can do is how the estimate climbs: if requests never exceeded the measured
   * rate, a peer whose rate was once underestimated would be stuck there, since some message kinds
   * cost the server no more time for a few extra items.
   */
  static final double CAPACITY_OVERESTIMATION = 1.01;

  private static final double NANOS_PER_SECOND = 1e9;

  private volatile Estimates estimates;

  private final TrackerView view = new TrackerView(this);

  /**
   * Creates a tracker starting from the given capacities (items per second, by kind; kinds not
   * listed start at 0) and round trip. New peers should start from the mean capacities and the
   * median round trip of the peers already known ({@link Trackers#meanCapacities()}, {@link
   * Trackers#medianRoundTrip()}), so that they are neither starved nor taken for outliers before
   * their first measurement.
   */
  public Tracker(Map<Long, Double> capacities, long roundTripNanos) {
    long[] kinds = new long[capacities.size()];
    double[] caps = new double[capacities.size()];
    int i = 0;
    for (Map.Entry<Long, Double> e : capacities.entrySet()) {
      kinds[i] = e.getKey();
      caps[i] = e.getValue();
      i++;
    }
    this.estimates = new Estimates(kinds, caps, roundTripNanos);
  }

  /**
   * How many items of {@code kind} the peer is expected to deliver within {@code targetRttNanos}:
   * the measured rate times the time, inflated by {@link #CAPACITY_OVERESTIMATION}, plus one so
   * that even a tiny estimate grows, rounded up. Always in {@code [1, Integer.MAX_VALUE]}, whatever
   * the inputs (negative or huge round trips included). Lock-free, O(number of kinds).
   */
  public int capacity(long kind, long targetRttNanos) {
    // Same order of operations as the reference: scale by the time first, then to seconds.
    double throughput = estimates.capacity(kind) * (double) targetRttNanos / NANOS_PER_SECOND;
    return roundCapacity(1 + CAPACITY_OVERESTIMATION * throughput);
  }

  /** Rounds a capacity up to a whole item count within {@code [1, Integer.MAX_VALUE]}. */
  static int roundCapacity(double capacity) {
    if (Double.isNaN(capacity)) {
      // Unreachable from finite estimates; Go would turn NaN into a negative count, which no
      // caller can use, so we answer the smallest useful request instead.
      return 1;
    }
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, Math.ceil(capacity)));
  }

  /**
   * Feeds one measurement: {@code items} of {@code kind} arrived {@code elapsedNanos} after they
   * were asked for. Zero items means the peer timed out or lacked the data, and drops that kind's
   * capacity straight to 0 (the round trip is left alone) so that the peer is not handed work it
   * cannot do; it climbs back through the overestimation in {@link #capacity}. An elapsed time of
   * zero or less counts as 1 ns, to keep the rate finite.
   */
  public synchronized void update(long kind, long elapsedNanos, long items) {
    Estimates old = estimates;
    if (items == 0) {
      estimates = old.withCapacity(kind, 0, old.roundTrip);
      return;
    }
    long elapsed = elapsedNanos <= 0 ? 1 : elapsedNanos;
    double measured = (double) items / ((double) elapsed / NANOS_PER_SECOND);
    double capacity = MEASUREMENT_RETAIN * old.capacity(kind) + MEASUREMENT_IMPACT * measured;
    long roundTrip =
        GoConversions.toInt64(
            MEASUREMENT_RETAIN * (double) old.roundTrip + MEASUREMENT_IMPACT * (double) elapsed);
    estimates = old.withCapacity(kind, capacity, roundTrip);
  }

  /** The estimated round trip in nanoseconds. Lock-free. */
  public long roundTrip() {
    return estimates.roundTrip;
  }

  /**
   * A snapshot of the capacities (items per second) of every kind this tracker has a value for,
   * sorted by kind. Lock-free.
   */
  public Map<Long, Double> capacities() {
    Estimates e = estimates;
    Map<Long, Double> out = new TreeMap<>();
    for (int i = 0; i < e.kinds.length; i++) {
      out.put(e.kinds[i], e.caps[i]);
    }
    return Collections.unmodifiableMap(out);
  }

  /** A read-only view of this tracker, for those who may read its estimates but not feed it. */
  public TrackerView view() {
    return view;
  }

  /** The current snapshot, for the group's aggregates. */
  Estimates estimates() {
    return estimates;
  }

  @Override
  public String toString() {
    return "Tracker{rtt=" + roundTrip() + "ns, capacities=" + capacities() + "}";
  }

  /**
   * One consistent state of a tracker, never modified once published. A handful of kinds at most,
   * so parallel arrays searched linearly beat any map and allocate little on update.
   */
  static final class Estimates {
    final long[] kinds;
    final double[] caps;
    final long roundTrip;

    Estimates(long[] kinds, double[] caps, long roundTrip) {
      this.kinds = kinds;
      this.caps = caps;
      this.roundTrip = roundTrip;
    }

    /** The capacity of {@code kind}, 0 when it has none (as reading a missing Go map key). */
    double capacity(long kind) {
      for (int i = 0; i < kinds.length; i++) {
        if (kinds[i] == kind) {
          return caps[i];
        }
      }
      return 0;
    }

    Estimates withCapacity(long kind, double capacity, long roundTrip) {
      for (int i = 0; i < kinds.length; i++) {
        if (kinds[i] == kind) {
          double[] caps = this.caps.clone();
          caps[i] = capacity;
          // The kinds array never changes once published, so it is shared.
          return new Estimates(kinds, caps, roundTrip);
        }
      }
      long[] kinds = Arrays.copyOf(this.kinds, this.kinds.length + 1);
      double[] caps = Arrays.copyOf(this.caps, this.caps.length + 1);
      kinds[kinds.length - 1] = kind;
      caps[caps.length - 1] = capacity;
      return new Estimates(kinds, caps, roundTrip);
    }
  }
}
