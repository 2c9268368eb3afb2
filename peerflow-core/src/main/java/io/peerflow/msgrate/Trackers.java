package io.peerflow.msgrate;

import io.peerflow.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group of {@link Tracker}s of all connected peers: a common beat for the download. It gives
 * new peers sensible starting values (mean capacities, a robust "median" round trip) and derives
 * the round trip every request should aim for and the timeout after which it is given up.
 *
 * <p>Thread-safe. Membership changes and re-tuning are serialized on one private lock; lookups by
 * id ({@link #capacity}, {@link #update}) go through a concurrent map without locking, and {@link
 * #targetRoundTrip()} / {@link #targetTimeout()} read an immutable snapshot of the tuned values
 * without locking except for the one call per tuning period that recomputes it.
 *
 * <p>Durations are {@code long} nanoseconds on the injected {@link Clock}. The arithmetic follows
 * go-ethereum's {@code p2p/msgrate} step for step (float64 math, truncation to whole nanoseconds)
 * so that recorded traces replay exactly.
 */
public final class Trackers {

  private static final Logger LOG = LoggerFactory.getLogger(Trackers.class);

  /**
   * Shortest round trip requests are sized for. Each request pays for latency both ways, for
   * transfer and for the server's database lookups; aiming below this would leave too little time
   * for useful work on top of the fixed costs.
   */
  static final long RTT_MIN_ESTIMATE = 2_000_000_000L;

  /**
   * Longest round trip requests are sized for. Well-connected peers never get near it, but some
   * links are slow (a satellite hop alone costs seconds); the bound must cover those while still
   * keeping one slow peer from stalling the pipeline for long. Also the group's initial round trip,
   * so that the first requests are given ample time.
   */
  static final long RTT_MAX_ESTIMATE = 20_000_000_000L;

  /**
   * Factor applied to the tuned round trip to get the target. Rate tracking can satisfy many
   * round-trip targets (a longer target just means bigger requests), and smaller requests make
   * steadier downloads, so we keep aiming a little lower than measured to drift towards the
   * shortest round trip that still works.
   */
  static final double RTT_PUSHDOWN_FACTOR = 0.9;

  /**
   * Floor of the confidence in the tuned round trip. Timeouts are divided by the confidence, so
   * letting it fall further would make them swing wildly when many peers join at once.
   */
  static final double RTT_MIN_CONFIDENCE = 0.1;

  /**
   * Multiplier from the round trip to a request timeout. Peers answer around the estimated round
   * trip, slower when loaded; three times it gives them slack while still holding them to what the
   * median peer manages.
   */
  static final double TTL_SCALING = 3;

  /**
   * Default ceiling on the request timeout. Whatever the estimates say after some network upset,
   * waiting longer than a minute for one answer is never worth it.
   */
  public static final long DEFAULT_TTL_LIMIT_NANOS = 60_000_000_000L;

  /**
   * Number of peers from which a newcomer no longer lowers the confidence: once that many peers
   * have been measured, one more hardly changes the picture.
   */
  static final int TUNING_CONFIDENCE_CAP = 10;

  /**
   * Share of the fresh median in each re-tuning of the round trip. A heuristic with no deeper
   * reason than keeping the target from jumping around.
   */
  static final double TUNING_IMPACT = 0.25;

  /** {@code 1 - TUNING_IMPACT}, written out as the constant Go folds at compile time. */
  private static final double TUNING_RETAIN = 0.75;

  private final Clock clock;
  private final long ttlLimitNanos;

  /** Written only under {@link #lock}; read anywhere. */
  private final ConcurrentHashMap<String, Tracker> trackers = new ConcurrentHashMap<>();

  /** Guards membership changes and the publication of {@link #tuning}. */
  private final Object lock = new Object();

  /** Tuned values; replaced (never mutated) under {@link #lock}, read without it. */
  private volatile Tuning tuning;

  /** Creates an empty group with the default one-minute timeout ceiling. */
  public Trackers(Clock clock) {
    this(clock, DEFAULT_TTL_LIMIT_NANOS);
  }

  /**
   * Creates an empty group whose request timeouts never exceed {@code ttlLimitNanos} (tests use a
   * small ceiling to run quickly; production should keep the default).
   */
  public Trackers(Clock clock, long ttlLimitNanos) {
    if (ttlLimitNanos <= 0) {
      throw new IllegalArgumentException("the timeout ceiling must be positive: " + ttlLimitNanos);
    }
    this.clock = clock;
    this.ttlLimitNanos = ttlLimitNanos;
    // Start pessimistic about the round trip and fully confident in that pessimism: the first
    // requests get the longest allowance, and the first tuning comes one such round trip later.
    this.tuning = new Tuning(RTT_MAX_ESTIMATE, 1, clock.nanos());
  }

  /** The clock all durations of this group are measured on. */
  public Clock clock() {
    return clock;
  }

  /**
   * Adds a peer's tracker and lowers the confidence in the tuned round trip, so that the newcomer's
   * measurements weigh more until the group settles again. Throws {@link IllegalStateException}
   * ("already tracking") if the id is taken.
   */
  public void track(String id, Tracker tracker) {
    synchronized (lock) {
      if (trackers.putIfAbsent(id, tracker) != null) {
        throw new IllegalStateException("already tracking");
      }
      detune();
    }
  }

  /** Removes a peer's tracker. Throws {@link IllegalStateException} ("not tracking") if unknown. */
  public void untrack(String id) {
    synchronized (lock) {
      if (trackers.remove(id) == null) {
        throw new IllegalStateException("not tracking");
      }
    }
  }

  /** Number of tracked peers. */
  public int size() {
    return trackers.size();
  }

  /**
   * A robust round trip across all peers, used to start new peers with a value they will likely
   * beat: not the true median but the element at index {@code floor(sqrt(n))} of the sorted round
   * trips (the first one for a single peer), which leans towards the faster peers. Clamped to [2 s,
   * 20 s]; 20 s when there are no peers. O(n log n).
   */
  public long medianRoundTrip() {
    synchronized (lock) {
      return medianRoundTripLocked();
    }
  }

  /** {@link #medianRoundTrip()} for callers that already hold {@link #lock}. */
  private long medianRoundTripLocked() {
    // Sorted as float64, as the reference does: the conversion back below then truncates alike.
    double[] rtts =
        trackers.values().stream().mapToDouble(t -> (double) t.roundTrip()).sorted().toArray();
    int n = rtts.length;
    long median;
    if (n == 0) {
      median = RTT_MAX_ESTIMATE;
    } else if (n == 1) {
      median = GoConversions.toInt64(rtts[0]);
    } else {
      median = GoConversions.toInt64(rtts[(int) Math.sqrt(n)]);
    }
    // Whatever the peers measure, requests are sized within these bounds.
    return Math.max(RTT_MIN_ESTIMATE, Math.min(RTT_MAX_ESTIMATE, median));
  }

  /**
   * The capacities of all peers averaged per kind (a kind missing from a tracker counts as 0
   * there), to start a new peer with values it will hopefully beat; if it does not, its first empty
   * delivery cuts it back and it starts over. Empty when there are no peers. O(n · kinds).
   */
  public Map<Long, Double> meanCapacities() {
    synchronized (lock) {
      Map<Long, Double> sums = new TreeMap<>();
      for (Tracker t : trackers.values()) {
        Tracker.Estimates e = t.estimates();
        for (int i = 0; i < e.kinds.length; i++) {
          sums.merge(e.kinds[i], e.caps[i], Double::sum);
        }
      }
      double n = trackers.size();
      sums.replaceAll((kind, sum) -> sum / n);
      return Collections.unmodifiableMap(sums);
    }
  }

  /**
   * The round trip requests should be sized for: a little under the tuned estimate (see {@link
   * #RTT_PUSHDOWN_FACTOR}). Re-tunes first if a tuning period has passed.
   */
  public long targetRoundTrip() {
    return GoConversions.toInt64((double) tune().roundTrip * RTT_PUSHDOWN_FACTOR);
  }

  /**
   * How long to wait for an answer before giving a request up: three tuned round trips, divided by
   * the confidence in that estimate, and never more than the ceiling (one minute by default).
   * Re-tunes first if a tuning period has passed.
   */
  public long targetTimeout() {
    return timeout(tune());
  }

  private long timeout(Tuning t) {
    long timeout = GoConversions.toInt64(TTL_SCALING * (double) t.roundTrip / t.confidence);
    return Math.min(timeout, ttlLimitNanos);
  }

  /**
   * The capacity of peer {@code id} for {@code kind} (see {@link Tracker#capacity}), or 1 if the
   * peer is not tracked: a peer that was just removed must not be reported able to do nothing, 0
   * being a dangerous number for callers that divide work. Lock-free.
   */
  public int capacity(String id, long kind, long targetRttNanos) {
    Tracker t = trackers.get(id);
    return t == null ? 1 : t.capacity(kind, targetRttNanos);
  }

  /**
   * Feeds a measurement to peer {@code id}'s tracker (see {@link Tracker#update}); ignored if the
   * peer is not tracked, as a late answer from a peer that has left may well arrive.
   */
  public void update(String id, long kind, long elapsedNanos, long items) {
    Tracker t = trackers.get(id);
    if (t != null) {
      t.update(kind, elapsedNanos, items);
    }
  }

  /**
   * Returns the tuned values, recomputing them first if more than one tuned round trip has passed
   * since the last time: the estimate moves a quarter of the way toward the current median and the
   * confidence halfway toward 1. Only one caller per period does the work; the others see the fresh
   * snapshot or the previous one.
   */
  private Tuning tune() {
    Tuning t = tuning;
    if (clock.nanos() - t.tunedAt <= t.roundTrip) {
      return t;
    }
    synchronized (lock) {
      t = tuning;
      long now = clock.nanos();
      if (now - t.tunedAt <= t.roundTrip) {
        return t; // another caller tuned while we waited for the lock
      }
      long roundTrip =
          GoConversions.toInt64(
              TUNING_RETAIN * (double) t.roundTrip
                  + TUNING_IMPACT * (double) medianRoundTripLocked());
      double confidence = t.confidence + (1 - t.confidence) / 2;
      Tuning tuned = new Tuning(roundTrip, confidence, now);
      tuning = tuned;
      if (LOG.isDebugEnabled()) {
        LOG.debug(
            "Re-tuned request targets: rtt={}ns confidence={} timeout={}ns next in {}ns",
            roundTrip,
            confidence,
            timeout(tuned),
            roundTrip);
      }
      return tuned;
    }
  }

  /**
   * Lowers the confidence after a peer joined (caller holds {@link #lock}, the peer is already
   * counted): a lone peer is all we know, so confidence is 1; from {@link #TUNING_CONFIDENCE_CAP}
   * peers on one more changes little; in between, it shrinks by a factor {@code (n-1)/n}, but not
   * below {@link #RTT_MIN_CONFIDENCE}.
   */
  private void detune() {
    Tuning t = tuning;
    int n = trackers.size();
    double confidence;
    if (n == 1) {
      confidence = 1;
    } else if (n >= TUNING_CONFIDENCE_CAP) {
      return;
    } else {
      double peers = n;
      confidence = Math.max(RTT_MIN_CONFIDENCE, t.confidence * (peers - 1) / peers);
    }
    Tuning detuned = new Tuning(t.roundTrip, confidence, t.tunedAt);
    tuning = detuned;
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "Relaxed request targets: rtt={}ns confidence={} timeout={}ns",
          t.roundTrip,
          confidence,
          timeout(detuned));
    }
  }

  /** The tuned round trip, the confidence in it, and when they were computed. Immutable. */
  private static final class Tuning {
    final long roundTrip;
    final double confidence;
    final long tunedAt;

    Tuning(long roundTrip, double confidence, long tunedAt) {
      this.roundTrip = roundTrip;
      this.confidence = confidence;
      this.tunedAt = tunedAt;
    }
  }
}
