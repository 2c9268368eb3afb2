package io.peerflow.simulator;

/**
 * How a simulated peer behaves, with the behaviour's parameters: scenarios are built from these
 * values, not from code paths. Immutable.
 */
public sealed interface Behaviour {

  /** Short name for tables and JSON. */
  String name();

  /**
   * Whether the peer's rate counts towards the ideal time: every peer that serves what it has, even
   * if it comes and goes or slows down, but not the ones that stall or lie on purpose.
   */
  default boolean countsTowardsIdeal() {
    return true;
  }

  /** Answers everything it is asked, as fast as its link allows. */
  record Honest() implements Behaviour {
    @Override
    public String name() {
      return "honest";
    }
  }

  /**
   * Serves honestly for {@code afterSeconds}, then accepts requests and never answers them again
   * (0: never answers at all).
   */
  record Stalling(double afterSeconds) implements Behaviour {
    public Stalling {
      check(afterSeconds >= 0, "stalling starts at a non-negative time: " + afterSeconds);
    }

    @Override
    public String name() {
      return "stalling";
    }

    /** Only a peer that serves for a while counts (at its full rate: the bound stays a bound). */
    @Override
    public boolean countsTowardsIdeal() {
      return afterSeconds > 0;
    }
  }

  /**
   * Does not have a contiguous range covering {@code fraction} of the items (placed at random), and
   * leaves those out of its answers, as a peer that pruned old blocks would.
   */
  record Lacking(double fraction) implements Behaviour {
    public Lacking {
      check(fraction > 0 && fraction < 1, "lacking fraction must be in (0, 1): " + fraction);
    }

    @Override
    public String name() {
      return "lacking";
    }
  }

  /**
   * Answers only a prefix of what it would serve, between {@code minShare} and {@code maxShare} of
   * it (uniformly at random per request), as a server with a tighter response limit would.
   */
  record Partial(double minShare, double maxShare) implements Behaviour {
    public Partial {
      check(
          minShare > 0 && minShare <= maxShare && maxShare <= 1,
          "partial shares must satisfy 0 < min <= max <= 1: " + minShare + ", " + maxShare);
    }

    @Override
    public String name() {
      return "partial";
    }
  }

  /**
   * Disconnects after an uptime drawn from {@code [minUpSeconds, maxUpSeconds]}, comes back after a
   * downtime drawn from {@code [minDownSeconds, maxDownSeconds]}, and so on.
   */
  record Churn(
      double minUpSeconds, double maxUpSeconds, double minDownSeconds, double maxDownSeconds)
      implements Behaviour {
    public Churn {
      check(
          minUpSeconds > 0
              && minUpSeconds <= maxUpSeconds
              && minDownSeconds > 0
              && minDownSeconds <= maxDownSeconds,
          "churn times must be positive ranges");
    }

    @Override
    public String name() {
      return "churn";
    }
  }

  /**
   * Serves {@code factor} times slower from {@code atFraction} of the scenario's ideal time on (a
   * peer that gets busy with something else).
   */
  record Slowdown(double atFraction, double factor) implements Behaviour {
    public Slowdown {
      check(atFraction >= 0 && factor >= 1, "slowdown needs atFraction >= 0 and factor >= 1");
    }

    @Override
    public String name() {
      return "slowdown";
    }
  }

  /** Answers on time with data that does not match what was asked. */
  record Lying() implements Behaviour {
    @Override
    public String name() {
      return "lying";
    }

    @Override
    public boolean countsTowardsIdeal() {
      return false;
    }
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
