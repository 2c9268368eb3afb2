package io.peerflow.cli.sync;

import io.peerflow.store.Part;
import io.peerflow.sync.SyncProgress;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Renders a running sync for a person: one progress bar per part with rate and ETA, then the
 * per-peer table (capacity per part, round trip, items, timeouts, state). On a terminal it redraws
 * in place; otherwise (a pipe, a log file, CI) it prints a compact line at a slower pace, so logs
 * stay readable.
 *
 * <p>Not thread-safe: one rendering thread owns it.
 */
public final class ProgressView {

  /** Width of each bar in characters; with the figures beside it a line fits 100 columns. */
  static final int BAR = 30;

  private final PrintWriter out;
  private final boolean terminal;
  private final Function<String, String> peerLabel;
  private final Map<Part, Long> lastDone = new EnumMap<>(Part.class);
  private final Map<Part, Double> rate = new EnumMap<>(Part.class);
  private long lastNanos = -1;
  private int linesDrawn;

  /**
   * @param terminal whether {@code out} is a terminal that understands ANSI cursor movement
   * @param peerLabel how to show a peer id (for example its client name and a short id)
   */
  public ProgressView(PrintWriter out, boolean terminal, Function<String, String> peerLabel) {
    this.out = out;
    this.terminal = terminal;
    this.peerLabel = peerLabel;
  }

  /** Draws one frame for this snapshot. */
  public void render(SyncProgress p) {
    updateRates(p);
    List<String> lines = new ArrayList<>();
    for (Map.Entry<Part, Long> e : p.total().entrySet()) {
      Part part = e.getKey();
      long total = e.getValue();
      long done = p.done().getOrDefault(part, 0L);
      lines.add(bar(SyncReportWriter.name(part), done, total, rate.getOrDefault(part, 0.0)));
    }
    if (terminal) {
      lines.add(
          String.format(
              Locale.ROOT,
              "%-30s %8s %8s %8s %7s %9s %8s  %s",
              "peer",
              "hdr cap",
              "body cap",
              "rcpt cap",
              "rtt",
              "items",
              "timeouts",
              "state"));
      for (SyncProgress.LivePeer lp : p.peers()) {
        lines.add(
            String.format(
                Locale.ROOT,
                "%-30s %8s %8s %8s %5.0fms %9d %8d  %s",
                clip(peerLabel.apply(lp.id()), 30),
                cap(lp, Part.HEADERS),
                cap(lp, Part.BODIES),
                cap(lp, Part.RECEIPTS),
                lp.roundTripMillis(),
                lp.items(),
                lp.timeouts(),
                clip(lp.state(), 49)));
      }
      if (linesDrawn > 0) {
        out.print("\u001b[" + linesDrawn + "F");
      }
      for (String l : lines) {
        out.print("\u001b[2K");
        out.println(l);
      }
      linesDrawn = lines.size();
    } else {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format(Locale.ROOT, "[%5.1fs]", p.elapsedNanos() / 1e9));
      for (Map.Entry<Part, Long> e : p.total().entrySet()) {
        long done = p.done().getOrDefault(e.getKey(), 0L);
        sb.append(
            String.format(
                Locale.ROOT,
                " %s %d/%d (%.0f/s)",
                SyncReportWriter.name(e.getKey()),
                done,
                e.getValue(),
                rate.getOrDefault(e.getKey(), 0.0)));
      }
      long live = p.peers().stream().filter(SyncProgress.LivePeer::active).count();
      sb.append(" peers ").append(live);
      out.println(sb);
    }
    out.flush();
  }

  private void updateRates(SyncProgress p) {
    long now = p.elapsedNanos();
    if (lastNanos >= 0 && now > lastNanos) {
      double dt = (now - lastNanos) / 1e9;
      for (Map.Entry<Part, Long> e : p.done().entrySet()) {
        long prev = lastDone.getOrDefault(e.getKey(), e.getValue());
        double instant = (e.getValue() - prev) / dt;
        // A smoothed rate: a bar that jumps with every answer is hard to read, and an ETA from
        // one second's rate swings wildly. 0.3 weighs roughly the last three seconds.
        rate.merge(e.getKey(), instant, (old, x) -> old * 0.7 + x * 0.3);
      }
    }
    lastNanos = now;
    lastDone.putAll(p.done());
  }

  /** One part's progress line: bar, percentage, counts, rate and time left. */
  public static String bar(String part, long done, long total, double perSecond) {
    double f = total == 0 ? 1 : Math.min(1, (double) done / total);
    int filled = (int) Math.round(f * BAR);
    String eta = "";
    if (done < total && perSecond > 0.5) {
      long s = (long) ((total - done) / perSecond);
      eta = String.format(Locale.ROOT, "ETA %d:%02d", s / 60, s % 60);
    } else if (done >= total) {
      eta = "done";
    }
    return String.format(
        Locale.ROOT,
        "%-8s [%s%s] %5.1f%% %,10d/%,d %,9.0f/s  %s",
        part,
        "#".repeat(filled),
        "-".repeat(BAR - filled),
        100 * f,
        done,
        total,
        perSecond,
        eta);
  }

  private static String cap(SyncProgress.LivePeer lp, Part part) {
    Integer c = lp.capacity().get(part);
    return c == null ? "-" : String.valueOf(c);
  }

  private static String clip(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }
}
