package io.peerflow.simulator;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Charts of the runs, as PNG files rendered headless with JFreeChart:
 *
 * <ul>
 *   <li>{@code SCENARIO-POLICY.png}: the throughput over time against the ideal rate, and under it
 *       each peer's rate estimate (solid) against its true rate (dashed), one colour per peer;
 *   <li>{@code SCENARIO.png}: the throughput of every policy over time, overlaid, against the ideal
 *       rate.
 * </ul>
 *
 * <p>Not thread-safe; write from one thread. Sets {@code java.awt.headless} before touching AWT.
 */
public final class PlotReport implements Report {

  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** Width of the throughput's smoothing window, as a share of the run's ideal time. */
  static final double SMOOTHING = 0.03;

  private static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
    new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
    new Color(0xbcbd22), new Color(0x17becf), new Color(0x393b79), new Color(0xad494a),
    new Color(0x637939), new Color(0x8c6d31), new Color(0x843c39), new Color(0x7b4173),
  };

  private static final BasicStroke SOLID = new BasicStroke(1.5f);
  private static final BasicStroke DASHED =
      new BasicStroke(
          1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);

  private final Path dir;
  private final List<Path> written = new ArrayList<>();

  /** Writes into {@code dir}, creating it if needed. */
  public PlotReport(Path dir) {
    this.dir = dir;
  }

  /** The files written so far, in order. */
  public List<Path> written() {
    return List.copyOf(written);
  }

  @Override
  public void write(List<RunResult> results) throws IOException {
    Files.createDirectories(dir);
    Map<String, List<RunResult>> byScenario = new LinkedHashMap<>();
    for (RunResult r : results) {
      byScenario.computeIfAbsent(r.scenario(), k -> new ArrayList<>()).add(r);
      save(runChart(r), r.scenario() + "-" + r.policy() + ".png", 900, 700);
    }
    for (Map.Entry<String, List<RunResult>> e : byScenario.entrySet()) {
      save(overlayChart(e.getKey(), e.getValue()), e.getKey() + ".png", 760, 380);
    }
  }

  private void save(JFreeChart chart, String name, int width, int height) throws IOException {
    Path file = dir.resolve(name);
    // No alpha channel and the strongest compression: the charts are for reading, and some end
    // up committed next to the README.
    ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height, null, false, 9);
    written.add(file);
  }

  /** Throughput with the ideal line, then estimates against true rates, sharing the time axis. */
  static JFreeChart runChart(RunResult r) {
    NumberAxis time = new NumberAxis("time (s)");
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
    plot.setGap(12);

    XYSeriesCollection throughput = new XYSeriesCollection();
    throughput.addSeries(throughput(r, r.policy()));
    throughput.addSeries(idealLine(r));
    XYLineAndShapeRenderer tr = lines();
    tr.setSeriesPaint(0, PALETTE[0]);
    tr.setSeriesStroke(0, SOLID);
    tr.setSeriesPaint(1, Color.BLACK);
    tr.setSeriesStroke(1, DASHED);
    NumberAxis itemsAxis = new NumberAxis("items/s");
    plot.add(new XYPlot(throughput, null, itemsAxis, tr), 2);

    XYSeriesCollection rates = new XYSeriesCollection();
    XYLineAndShapeRenderer rr = lines();
    for (int p = 0; p < r.peers().size(); p++) {
      XYSeries estimate = new XYSeries(r.peers().get(p).id() + " estimate", false, true);
      XYSeries truth = new XYSeries(r.peers().get(p).id() + " true", false, true);
      for (RunResult.Sample s : r.samples()) {
        estimate.add(s.seconds(), positiveOrNaN(s.estimates()[p]));
        truth.add(s.seconds(), positiveOrNaN(s.trueRates()[p]));
      }
      int e = rates.getSeriesCount();
      rates.addSeries(estimate);
      rates.addSeries(truth);
      Color c = PALETTE[p % PALETTE.length];
      rr.setSeriesPaint(e, c);
      rr.setSeriesStroke(e, SOLID);
      rr.setSeriesPaint(e + 1, c);
      rr.setSeriesStroke(e + 1, DASHED);
    }
    LogAxis rateAxis = new LogAxis("rate estimate vs true (items/s)");
    rateAxis.setTickUnit(new NumberTickUnit(1)); // one tick per decade
    rateAxis.setNumberFormatOverride(new DecimalFormat("#,##0.#"));
    // Around the true rates: a wild first estimate must not squash everything else flat.
    double lowest = Double.POSITIVE_INFINITY;
    double highest = 0;
    for (RunResult.PeerResult p : r.peers()) {
      lowest = Math.min(lowest, p.trueRate());
      highest = Math.max(highest, p.trueRate());
    }
    rateAxis.setRange(Math.max(0.01, lowest / 10), Math.max(1, highest * 10));
    plot.add(new XYPlot(rates, null, rateAxis, rr), 3);

    JFreeChart chart =
        new JFreeChart(
            String.format(
                java.util.Locale.ROOT,
                "%s / %s: efficiency %.3f",
                r.scenario(),
                r.policy(),
                r.efficiency()),
            JFreeChart.DEFAULT_TITLE_FONT,
            plot,
            false);
    chart.addSubtitle(
        new TextTitle(
            "top: delivered items/s (dashed: ideal); bottom: per peer, solid = estimate, dashed ="
                + " true",
            new Font(Font.SANS_SERIF, Font.PLAIN, 11)));
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  /** Every policy's throughput on one scenario, with the ideal rate. */
  static JFreeChart overlayChart(String scenario, List<RunResult> runs) {
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer renderer = lines();
    for (int i = 0; i < runs.size(); i++) {
      RunResult r = runs.get(i);
      data.addSeries(
          throughput(
              r, String.format(java.util.Locale.ROOT, "%s (%.3f)", r.policy(), r.efficiency())));
      renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
      renderer.setSeriesStroke(i, SOLID);
    }
    data.addSeries(idealLine(runs.get(0)));
    renderer.setSeriesPaint(runs.size(), Color.BLACK);
    renderer.setSeriesStroke(runs.size(), DASHED);
    XYPlot plot = new XYPlot(data, new NumberAxis("time (s)"), new NumberAxis("items/s"), renderer);
    JFreeChart chart =
        new JFreeChart(
            scenario + ": throughput by policy (efficiency)",
            JFreeChart.DEFAULT_TITLE_FONT,
            plot,
            true);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  /** Items accepted per second, averaged over a sliding window of the samples. */
  static XYSeries throughput(RunResult r, String name) {
    XYSeries series = new XYSeries(name, false, true);
    List<RunResult.Sample> samples = r.samples();
    double window = Math.max(0.5, r.idealSeconds() * SMOOTHING);
    int from = 0;
    for (int i = 0; i < samples.size(); i++) {
      RunResult.Sample s = samples.get(i);
      while (samples.get(from).seconds() < s.seconds() - window) {
        from++;
      }
      RunResult.Sample f = samples.get(from);
      double dt = s.seconds() - f.seconds();
      if (dt > 0) {
        series.add(s.seconds() - dt / 2, (s.accepted() - f.accepted()) / dt);
      }
    }
    return series;
  }

  private static XYSeries idealLine(RunResult r) {
    XYSeries ideal = new XYSeries("ideal", false, true);
    ideal.add(0, r.idealRate());
    ideal.add(Math.max(r.simulatedSeconds(), r.idealSeconds()), r.idealRate());
    return ideal;
  }

  private static XYLineAndShapeRenderer lines() {
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    r.setDefaultStroke(SOLID);
    return r;
  }

  private static double positiveOrNaN(double v) {
    return v > 0 ? v : Double.NaN;
  }
}
