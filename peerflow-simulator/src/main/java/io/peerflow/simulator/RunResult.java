package io.peerflow.simulator;

import java.util.List;

/**
 * The outcome of one simulated run of one policy on one scenario: times, efficiency, what every
 * peer did, and the time series the charts are drawn from. Immutable, and so safe to share between
 * threads (the arrays inside its samples are never written once the run is over).
 *
 * @param scenario scenario name
 * @param policy policy name
 * @param seed the seed used
 * @param items items fetched
 * @param kind what was fetched ("bodies", ...)
 * @param simulatedSeconds virtual time from start to the last item (or to the failure)
 * @param idealSeconds items over the summed rates of the peers that serve honestly (each rate at
 *     the mean item size): the physical limit, which a schedule beats only by the luck of which
 *     item sizes went to which link, a fraction of a percent at most
 * @param failure why the run failed, or {@code null} if it finished
 * @param duplicates items accepted more than once (0 unless the scheduler is broken)
 * @param missing items never accepted (0 for a finished run)
 * @param peers per-peer results, in registration order
 * @param samples the run sampled at regular intervals of virtual time
 */
public record RunResult(
    String scenario,
    String policy,
    long seed,
    int items,
    String kind,
    double simulatedSeconds,
    double idealSeconds,
    String failure,
    long duplicates,
    int missing,
    List<PeerResult> peers,
    List<Sample> samples) {

  public RunResult {
    peers = List.copyOf(peers);
    samples = List.copyOf(samples);
  }

  /**
   * Ideal time over achieved time, at most a hair above 1 (see idealSeconds); 0 for a failed run.
   */
  public double efficiency() {
    return failure != null || simulatedSeconds <= 0 || !Double.isFinite(idealSeconds)
        ? 0
        : idealSeconds / simulatedSeconds;
  }

  /** Items per second of the ideal schedule. */
  public double idealRate() {
    return items / idealSeconds;
  }

  /**
   * What one peer did.
   *
   * @param id peer id
   * @param behaviour its behaviour's name
   * @param requests requests sent to it
   * @param items items accepted from it
   * @param timeouts requests of it that timed out
   * @param estimate the policy's final estimate of its rate, items per second
   * @param trueRate the rate it sustained at the end when kept busy, items per second
   * @param dropped why the scheduler dropped it, or {@code null}
   */
  public record PeerResult(
      String id,
      String behaviour,
      long requests,
      long items,
      long timeouts,
      double estimate,
      double trueRate,
      String dropped) {}

  /**
   * The run at one instant. The arrays are shared, not copied: treat them as read-only.
   *
   * @param seconds virtual time since the start
   * @param accepted items accepted so far
   * @param estimates each peer's rate estimate (items per second), in the order of {@link
   *     #peers()}; NaN while it is not connected
   * @param trueRates each peer's true rate at that instant, same order
   */
  public record Sample(double seconds, long accepted, double[] estimates, double[] trueRates) {}
}
