package io.peerflow.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConformanceTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private Conformance.Summary run(String... inputs) {
    return Conformance.run(List.of(inputs), new PrintWriter(out), new PrintWriter(err));
  }

  private Path trace(String name, String... lines) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }

  @Test
  void aDirectoryReplaysItsTracesInNameOrderAndTotalsThem() throws IOException {
    trace("b.jsonl", "{\"op\":\"median\",\"expect\":20000000000}");
    trace("a.jsonl", "{\"op\":\"median\",\"expect\":1}", "{\"op\":\"advance\",\"ns\":1}");
    trace("notes.txt", "ignored");
    Conformance.Summary s = run(dir.toString());
    assertThat(s).isEqualTo(new Conformance.Summary(2, 1, 0));
    assertThat(s.ok()).isFalse();
    assertThat(out.toString().lines())
        .containsExactly(
            dir.resolve("a.jsonl") + ":1: median: expected 1, got 20000000000",
            dir.resolve("a.jsonl") + ": 1 passed, 1 failed",
            dir.resolve("b.jsonl") + ": 1 passed, 0 failed",
            "2 passed, 1 failed");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void allMatchingIsOk() throws IOException {
    Path t = trace("ok.jsonl", "{\"op\":\"targetRtt\",\"expect\":18000000000}");
    Conformance.Summary s = run(t.toString());
    assertThat(s.ok()).isTrue();
    assertThat(out.toString()).endsWith("1 passed, 0 failed" + System.lineSeparator());
  }

  @Test
  void aMissingInputIsReportedInOneLineAndFailsTheRun() throws IOException {
    Path t = trace("ok.jsonl", "{\"op\":\"targetRtt\",\"expect\":18000000000}");
    Conformance.Summary s = run(dir.resolve("missing.jsonl").toString(), t.toString());
    assertThat(s).isEqualTo(new Conformance.Summary(1, 0, 1));
    assertThat(s.ok()).isFalse();
    assertThat(err.toString().strip())
        .isEqualTo(
            "peerflow conformance: cannot read "
                + dir.resolve("missing.jsonl")
                + ": no such file or directory");
  }

  @Test
  void aDirectoryWithoutTracesIsAnError() {
    Conformance.Summary s = run(dir.toString());
    assertThat(s.unreadable()).isEqualTo(1);
    assertThat(err.toString()).contains("no *.jsonl traces");
  }
}
