package io.peerflow.simulator;

import io.peerflow.concurrent.Failures;
import io.peerflow.fetch.FetchPolicy;
import io.peerflow.fetch.FetchScheduler;
import io.peerflow.fetch.FetchSummary;
import io.peerflow.fetch.PeerStats;
import io.peerflow.peers.PeerSet;
import io.peerflow.time.VirtualTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One run: the real {@link FetchScheduler} with one policy, on {@link VirtualTime}, against the
 * simulated peers of one scenario, until every item is in or the run fails.
 *
 * <p>Deterministic: all randomness comes from {@link SplittableRandom}s split off the seed in a
 * fixed order, time is virtual, and nothing iterates a hash-ordered collection, so the same
 * scenario, policy and seed always give the same result. Not thread-safe; a run is confined to the
 * thread that calls {@link #run}, and separate runs share nothing.
 */
final class Simulation {

  /** Protocol version the simulated peers announce (eth/68). */
  static final int VERSION = 68;

  /** A run still going after this much virtual time is cut short as failed. */
  static final long MAX_SIMULATED_NANOS = 6 * 3600 * 1_000_000_000L;

  /** Longest interval between two samples, however thinly a slow run is sampled. */
  static final long MAX_SAMPLE_INTERVAL_NANOS = 60_000_000_000L;

  /** Samples per ideal run time: fine enough for the charts, cheap enough to ignore. */
  static final int SAMPLES_PER_IDEAL = 400;

  private static final double NANOS_PER_SECOND = 1e9;

  private final Scenario scenario;
  private final String policy;
  private final VirtualTime time = new VirtualTime();
  private final PeerSet set = new PeerSet(time);
  private final List<SimulatedPeer> peers = new ArrayList<>();
  private final Map<String, Integer> indexById = new HashMap<>();
  private final List<RunResult.Sample> samples = new ArrayList<>();
  private final List<Boolean> dropped = new ArrayList<>();
  private final long origin = time.nanos();
  private int thinningAt = 2 * SAMPLES_PER_IDEAL;

  Simulation(Scenario scenario, String policy) {
    this.scenario = scenario;
    this.policy = policy;
  }

  RunResult run() {
    SplittableRandom root = new SplittableRandom(scenario.seed());
    ItemCatalog catalog = new ItemCatalog(scenario.kind(), scenario.items(), root.nextLong());
    SimulatedQueue queue = new SimulatedQueue(catalog);
    for (PeerProfile profile : scenario.peers()) {
      for (int i = 0; i < profile.count(); i++) {
        String id = profile.id(i);
        indexById.put(id, peers.size());
        peers.add(new SimulatedPeer(id, profile, i, time, catalog, root.split()));
        dropped.add(false);
      }
    }
    double idealRate = 0;
    for (SimulatedPeer p : peers) {
      if (p.behaviour().countsTowardsIdeal()) {
        idealRate += p.trueRate();
      }
    }
    double idealSeconds = scenario.items() / idealRate;

    FetchScheduler<SimulatedQueue.Batch> scheduler =
        FetchScheduler.builder(set, queue, time)
            .policy(FetchPolicy.byName(policy))
            .dropper(
                (connection, reason, detail) -> {
                  int i = indexById.get(connection.id());
                  dropped.set(i, true);
                  peers.get(i).disconnect();
                })
            .build();
    for (SimulatedPeer p : peers) {
      p.connect();
      set.register(p, VERSION);
    }
    for (SimulatedPeer p : peers) {
      if (p.behaviour() instanceof Behaviour.Slowdown s) {
        time.schedule(
            (long) (s.atFraction() * idealSeconds * NANOS_PER_SECOND),
            () -> p.slowDown(s.factor()));
      } else if (p.behaviour() instanceof Behaviour.Churn c) {
        scheduleDisconnect(p, c, root.split());
      }
    }
    CompletableFuture<FetchSummary> done = scheduler.start();
    // No peer that counts (all of them lie or stall) makes the ideal infinite: sample each second.
    long interval =
        Double.isFinite(idealSeconds)
            ? Math.max(1_000_000L, (long) (idealSeconds * NANOS_PER_SECOND / SAMPLES_PER_IDEAL))
            : 1_000_000_000L;
    sample(scheduler, queue, done, interval);

    boolean cutShort = false;
    while (!done.isDone()) {
      if (!cutShort && time.nanos() - origin > MAX_SIMULATED_NANOS) {
        cutShort = true; // a policy that never finishes (fixed timeouts on a too slow peer)
        scheduler.cancel();
      }
      if (time.runUntilIdle(1) == 0) {
        break; // nothing left to happen: cannot occur, as the scheduler fails when stuck
      }
    }
    double seconds = (time.nanos() - origin) / NANOS_PER_SECOND;
    String failure = null;
    List<PeerStats> stats;
    if (done.isDone() && !done.isCompletedExceptionally()) {
      stats = done.join().peers();
    } else {
      failure =
          cutShort
              ? String.format(
                  java.util.Locale.ROOT,
                  "did not finish within %d h of simulated time",
                  MAX_SIMULATED_NANOS / 3_600_000_000_000L)
              : done.isDone() ? describe(done) : "the simulation ran out of events";
      CompletableFuture<List<PeerStats>> f = scheduler.stats();
      time.advance(0);
      stats = f.getNow(List.of());
    }
    return new RunResult(
        scenario.name(),
        policy,
        scenario.seed(),
        scenario.items(),
        scenario.kind().name(),
        seconds,
        idealSeconds,
        failure,
        queue.duplicates(),
        queue.missing(),
        peerResults(stats),
        samples);
  }

  private void scheduleDisconnect(SimulatedPeer p, Behaviour.Churn c, SplittableRandom random) {
    long up = seconds(c.minUpSeconds(), c.maxUpSeconds(), random);
    time.schedule(
        up,
        () -> {
          int i = indexById.get(p.id());
          if (dropped.get(i) || !p.connected()) {
            return;
          }
          // As a transport does: the peer leaves the set, then its requests in flight fail.
          set.peer(p.id()).ifPresent(set::unregister);
          p.disconnect();
          long down = seconds(c.minDownSeconds(), c.maxDownSeconds(), random);
          time.schedule(
              down,
              () -> {
                if (!dropped.get(i)) {
                  p.connect();
                  set.register(p, VERSION);
                  scheduleDisconnect(p, c, random);
                }
              });
        });
  }

  private static long seconds(double min, double max, SplittableRandom random) {
    return (long) ((min + random.nextDouble() * (max - min)) * NANOS_PER_SECOND);
  }

  /** Records a sample now and schedules the next, until the run is over. */
  private void sample(
      FetchScheduler<?> scheduler,
      SimulatedQueue queue,
      CompletableFuture<FetchSummary> done,
      long interval) {
    if (done.isDone()) {
      return;
    }
    double seconds = (time.nanos() - origin) / NANOS_PER_SECOND;
    long accepted = queue.accepted();
    double[] rates = new double[peers.size()];
    for (int i = 0; i < rates.length; i++) {
      rates[i] = peers.get(i).currentRate();
    }
    // Stats are taken on the scheduler's thread; in virtual time that is this one, a moment on.
    scheduler
        .stats()
        .thenAccept(
            stats -> {
              double[] estimates = new double[peers.size()];
              java.util.Arrays.fill(estimates, Double.NaN);
              for (PeerStats s : stats) {
                Integer i = indexById.get(s.id());
                if (i != null && set.peer(s.id()).isPresent()) {
                  estimates[i] = s.rateEstimate();
                }
              }
              samples.add(new RunResult.Sample(seconds, accepted, estimates, rates));
            });
    // A run far slower than ideal (a policy that never finishes) is sampled ever more thinly,
    // so that its samples stay few: each time their number doubles, so does the interval.
    long next =
        samples.size() + 1 >= thinningAt
            ? Math.min(2 * interval, MAX_SAMPLE_INTERVAL_NANOS)
            : interval;
    if (next != interval) {
      thinningAt *= 2;
    }
    time.schedule(next, () -> sample(scheduler, queue, done, next));
  }

  private List<RunResult.PeerResult> peerResults(List<PeerStats> stats) {
    Map<String, PeerStats> byId = new HashMap<>();
    for (PeerStats s : stats) {
      byId.put(s.id(), s);
    }
    List<RunResult.PeerResult> out = new ArrayList<>();
    for (SimulatedPeer p : peers) {
      PeerStats s = byId.get(p.id());
      out.add(
          new RunResult.PeerResult(
              p.id(),
              p.behaviour().name(),
              s == null ? 0 : s.requests(),
              s == null ? 0 : s.itemsAccepted(),
              s == null ? 0 : s.timeouts(),
              s == null ? 0 : s.rateEstimate(),
              p.currentRate(),
              s == null || s.dropReason() == null ? null : s.dropReason().text()));
    }
    return out;
  }

  private static String describe(CompletableFuture<?> failed) {
    try {
      failed.join();
      return null;
    } catch (CompletionException | java.util.concurrent.CancellationException e) {
      return Failures.describe(e);
    }
  }
}
