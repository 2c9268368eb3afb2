package io.peerflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConformanceCommandTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = Peerflow.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void theRecordedTracesAllPassWithExitCodeZero() {
    Path traces = Paths.get(System.getProperty("peerflow.root"), "../shared/conformance/msgrate");
    assertThat(run("conformance", traces.toString())).isZero();
    String last = out.toString().strip().lines().reduce((a, b) -> b).orElseThrow();
    assertThat(last).matches("[1-9][0-9]* passed, 0 failed");
    assertThat(out.toString()).contains("edge-11.jsonl: ");
  }

  @Test
  void aMismatchExitsWithOne() throws IOException {
    Path t = dir.resolve("bad.jsonl");
    Files.writeString(t, "{\"op\":\"median\",\"expect\":3}\n");
    assertThat(run("conformance", t.toString())).isEqualTo(1);
    assertThat(out.toString())
        .contains("bad.jsonl:1: median: expected 3, got 20000000000")
        .contains("0 passed, 1 failed");
  }

  @Test
  void anUnreadableInputExitsWithOneAndNoStackTrace() {
    assertThat(run("conformance", dir.resolve("nope").toString())).isEqualTo(1);
    assertThat(err.toString())
        .contains("cannot read")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void noInputIsAUsageError() {
    assertThat(run("conformance")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required parameter");
  }
}
