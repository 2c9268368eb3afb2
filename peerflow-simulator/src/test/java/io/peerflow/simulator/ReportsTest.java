package io.peerflow.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {

  private static RunResult run(String scenario, String policy, double seconds, String failure) {
    List<RunResult.Sample> samples =
        List.of(
            new RunResult.Sample(0, 0, new double[] {Double.NaN}, new double[] {10}),
            new RunResult.Sample(5, 40, new double[] {8}, new double[] {10}),
            new RunResult.Sample(10, 100, new double[] {9.5}, new double[] {10}));
    return new RunResult(
        scenario,
        policy,
        7,
        100,
        "bodies",
        seconds,
        10,
        failure,
        0,
        0,
        List.of(new RunResult.PeerResult("peer-01", "honest", 4, 100, 1, 9.5, 10, null)),
        samples);
  }

  private static final List<RunResult> RESULTS =
      List.of(
          run("uniform", "geth", 20, null),
          run("uniform", "pipelined", 10.5, null),
          run("churn", "geth", 3, "no peers left (5 bodies still pending)"),
          run("churn", "pipelined", 12.5, null));

  @Test
  void theTextReportPrintsEachRunThenTheEfficiencyTable() {
    StringWriter s = new StringWriter();
    new TextReport(new PrintWriter(s), true).write(RESULTS);

    assertThat(s.toString())
        .startsWith(
            String.join(
                "\n",
                "uniform / geth: 100 bodies from 1 peers, seed 7",
                "  finished in 20.000 s, ideal 10.000 s, efficiency 0.500",
                "  peer         behaviour requests    items timeouts  estimate/s   true/s  dropped",
                "  peer-01      honest           4      100        1         9.5     10.0  -",
                ""));
    assertThat(s.toString())
        .contains("  FAILED after 3.000 s: no peers left (5 bodies still pending)");
    assertThat(s.toString())
        .endsWith(
            String.join(
                "\n",
                "Efficiency (ideal time / achieved time; 1.000 is the physical limit)",
                "scenario             geth  pipelined",
                "uniform             0.500      0.952",
                "churn              failed      0.800",
                ""));
  }

  @Test
  void theJsonReportHoldsEveryRunWithItsKeyFigures(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("out/results.json");
    new JsonReport(file).write(RESULTS);

    JsonNode root = new ObjectMapper().readTree(file.toFile());
    JsonNode first = root.get("results").get(0);
    assertThat(root.get("results")).hasSize(4);
    assertThat(first.get("scenario").asText()).isEqualTo("uniform");
    assertThat(first.get("policy").asText()).isEqualTo("geth");
    assertThat(first.get("seed").asLong()).isEqualTo(7);
    assertThat(first.get("items").asInt()).isEqualTo(100);
    assertThat(first.get("efficiency").asDouble()).isEqualTo(0.5);
    assertThat(first.get("simulatedSeconds").asDouble()).isEqualTo(20);
    assertThat(first.get("idealSeconds").asDouble()).isEqualTo(10);
    assertThat(first.get("peers").get(0).get("id").asText()).isEqualTo("peer-01");
    assertThat(root.get("results").get(2).get("failure").asText()).startsWith("no peers left");
  }

  @Test
  void thePlotReportWritesOneChartPerRunAndOnePerScenario(@TempDir Path dir) throws Exception {
    PlotReport plots = new PlotReport(dir);
    plots.write(RESULTS);

    assertThat(plots.written())
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            "uniform-geth.png",
            "uniform-pipelined.png",
            "churn-geth.png",
            "churn-pipelined.png",
            "uniform.png",
            "churn.png");
    for (Path p : plots.written()) {
      byte[] png = Files.readAllBytes(p);
      assertThat(png).hasSizeGreaterThan(1_000);
      assertThat(new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII))
          .isEqualTo("PNG");
    }
  }
}
