package io.peerflow.simulator;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The human-readable report: per run, its time, ideal time and efficiency and a table of what each
 * peer did; then a table of efficiencies, scenario by policy. Byte-for-byte deterministic for the
 * same results (fixed locale, no hash ordering).
 *
 * <p>Not thread-safe; write from one thread.
 */
public final class TextReport implements Report {

  private final PrintWriter out;
  private final boolean perPeer;

  /**
   * Writes to {@code out}; {@code perPeer} adds each run's peer table (the summary table is always
   * written).
   */
  public TextReport(PrintWriter out, boolean perPeer) {
    this.out = out;
    this.perPeer = perPeer;
  }

  @Override
  public void write(List<RunResult> results) {
    for (RunResult r : results) {
      writeRun(r);
    }
    writeSummary(results);
    out.flush();
  }

  private void writeRun(RunResult r) {
    out.println(
        f(
            "%s / %s: %d %s from %d peers, seed %d",
            r.scenario(), r.policy(), r.items(), r.kind(), r.peers().size(), r.seed()));
    if (r.failure() != null) {
      out.println(f("  FAILED after %.3f s: %s", r.simulatedSeconds(), r.failure()));
    } else {
      out.println(
          f(
              "  finished in %.3f s, ideal %.3f s, efficiency %.3f",
              r.simulatedSeconds(), r.idealSeconds(), r.efficiency()));
    }
    if (perPeer) {
      out.println(
          f(
              "  %-12s %-9s %8s %8s %8s %11s %8s  %s",
              "peer",
              "behaviour",
              "requests",
              "items",
              "timeouts",
              "estimate/s",
              "true/s",
              "dropped"));
      for (RunResult.PeerResult p : r.peers()) {
        out.println(
            f(
                "  %-12s %-9s %8d %8d %8d %11.1f %8.1f  %s",
                p.id(),
                p.behaviour(),
                p.requests(),
                p.items(),
                p.timeouts(),
                p.estimate(),
                p.trueRate(),
                p.dropped() == null ? "-" : p.dropped()));
      }
    }
    out.println();
  }

  /** The scenario-by-policy table of efficiencies, in the order the results came. */
  private void writeSummary(List<RunResult> results) {
    List<String> scenarios = new ArrayList<>();
    List<String> policies = new ArrayList<>();
    for (RunResult r : results) {
      if (!scenarios.contains(r.scenario())) {
        scenarios.add(r.scenario());
      }
      if (!policies.contains(r.policy())) {
        policies.add(r.policy());
      }
    }
    out.println("Efficiency (ideal time / achieved time; 1.000 is the physical limit)");
    StringBuilder header = new StringBuilder(f("%-14s", "scenario"));
    for (String p : policies) {
      header.append(f(" %10s", p));
    }
    out.println(header);
    for (String s : scenarios) {
      StringBuilder row = new StringBuilder(f("%-14s", s));
      for (String p : policies) {
        String cell = "-";
        for (RunResult r : results) {
          if (r.scenario().equals(s) && r.policy().equals(p)) {
            cell = r.failure() != null ? "failed" : f("%.3f", r.efficiency());
          }
        }
        row.append(f(" %10s", cell));
      }
      out.println(row);
    }
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
