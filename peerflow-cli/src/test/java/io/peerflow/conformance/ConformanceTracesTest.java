package io.peerflow.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Replays every recorded go-ethereum trace; any mismatch, or missing traces, fails the build. */
class ConformanceTracesTest {

  /** The traces, beside the repository: {@code ${peerflow.root}/../shared/conformance/msgrate}. */
  static Path traceDir() {
    String root = System.getProperty("peerflow.root");
    assertThat(root).as("system property peerflow.root (set by surefire)").isNotBlank();
    return Paths.get(root).resolve("../shared/conformance/msgrate").normalize();
  }

  @Test
  void theTraceFolderExistsAndHoldsTraces() throws IOException {
    Path dir = traceDir();
    assertThat(dir).as("conformance traces folder").isDirectory();
    assertThat(Conformance.traces(dir)).isNotEmpty();
  }

  @TestFactory
  Stream<DynamicTest> everyTraceReplaysWithoutMismatch() throws IOException {
    List<Path> traces = Conformance.traces(traceDir());
    TraceReplayer replayer = new TraceReplayer();
    return traces.stream()
        .map(
            trace ->
                DynamicTest.dynamicTest(
                    trace.getFileName().toString(),
                    () -> {
                      TraceResult result = replayer.replay(trace, trace.getFileName().toString());
                      assertThat(result.mismatches()).as("mismatches").isEmpty();
                      long lines;
                      try (Stream<String> all = Files.lines(trace)) {
                        lines = all.filter(l -> !l.isBlank()).count();
                      }
                      assertThat(result.passed()).as("lines passed").isEqualTo(lines).isPositive();
                    }));
  }
}
