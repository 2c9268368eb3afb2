package io.peerflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class SimulateCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = Peerflow.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--scenario=mars | peerflow: unknown scenario 'mars' (known: uniform, heterogeneous,"
            + " stallers, churn, slowdown, satellite, lying, lacking)",
        "--policy=best   | peerflow: unknown policy 'best' (known: geth, fixed, pipelined)",
        "--items=-5      | peerflow: --items must be positive, got -5",
        "--items=many    | peerflow: Invalid value for option '--items': 'many' is not an int",
        "--speed=11      | peerflow: Unknown option: '--speed=11'",
      })
  void aBadFlagIsOneClearLineAndExitCodeTwo(String flag, String message) {
    assertThat(run("simulate", flag)).isEqualTo(2);
    assertThat(err.toString()).isEqualTo(message + System.lineSeparator());
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void printsEachRunAndTheSummaryTheSameWayEveryTime() {
    assertThat(run("simulate", "--scenario", "lying", "--items", "3000")).isZero();
    String first = out.toString();
    out.getBuffer().setLength(0);
    assertThat(run("simulate", "--scenario", "lying", "--items", "3000")).isZero();

    assertThat(out.toString()).isEqualTo(first);
    assertThat(first)
        .contains("lying / geth: 3000 bodies from 16 peers, seed 107")
        .contains("lying / pipelined: 3000 bodies from 16 peers, seed 107")
        .contains("liar-01      lying")
        .contains("invalid delivery")
        .containsPattern(
            "scenario +geth +fixed +pipelined\\R+lying +0\\.\\d{3} +0\\.\\d{3} +0\\.\\d{3}");
  }

  @Test
  void theSeedFlagReplacesTheScenariosSeed() {
    assertThat(
            run(
                "simulate",
                "--scenario",
                "uniform",
                "--policy",
                "geth",
                "--items",
                "2000",
                "--seed",
                "42"))
        .isZero();
    assertThat(out.toString()).contains("uniform / geth: 2000 bodies from 16 peers, seed 42");
  }

  @Test
  void writesJsonAndChartsWhenAsked(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("results.json");
    Path plots = dir.resolve("plots");
    assertThat(
            run(
                "simulate",
                "--scenario",
                "uniform",
                "--policy",
                "pipelined",
                "--items",
                "2000",
                "--json",
                json.toString(),
                "--plot",
                plots.toString()))
        .isZero();

    assertThat(Files.readString(json))
        .contains(
            "\"scenario\" : \"uniform\"",
            "\"policy\" : \"pipelined\"",
            "\"seed\" : 101",
            "\"items\" : 2000",
            "\"efficiency\"",
            "\"simulatedSeconds\"",
            "\"idealSeconds\"");
    assertThat(plots.resolve("uniform-pipelined.png")).isNotEmptyFile();
    assertThat(plots.resolve("uniform.png")).isNotEmptyFile();
    assertThat(err.toString()).contains("wrote 2 charts");
  }
}
