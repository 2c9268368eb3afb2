package io.peerflow.simulator;

import io.peerflow.concurrent.Failures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs scenarios through policies and collects the results: the simulator's entry point for the CLI
 * and for tests.
 *
 * <p>Thread-safe. Runs are independent (each has its own virtual time, peer set and random
 * streams), so they are spread over the available cores; results come back in the order asked for
 * (every scenario, and within it every policy), identical whatever the number of threads.
 */
public final class Simulator {

  private Simulator() {}

  /** One scenario, one policy, on the calling thread. */
  public static RunResult run(Scenario scenario, String policy) {
    return new Simulation(scenario, policy).run();
  }

  /**
   * Every scenario with every policy, on up to {@code threads} threads.
   *
   * @throws IllegalArgumentException for an unknown policy name, before anything runs
   */
  public static List<RunResult> run(List<Scenario> scenarios, List<String> policies, int threads) {
    for (String policy : policies) {
      io.peerflow.fetch.FetchPolicy.byName(policy); // fail fast on a bad name
    }
    int runs = scenarios.size() * policies.size();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(threads, runs)),
            r -> {
              Thread t = new Thread(r, "simulation");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<RunResult>> futures = new ArrayList<>(runs);
      for (Scenario s : scenarios) {
        for (String p : policies) {
          futures.add(pool.submit(() -> run(s, p)));
        }
      }
      List<RunResult> results = new ArrayList<>(runs);
      for (Future<RunResult> f : futures) {
        results.add(f.get());
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = Failures.unwrap(e);
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(cause);
    } finally {
      pool.shutdownNow();
    }
  }
}
