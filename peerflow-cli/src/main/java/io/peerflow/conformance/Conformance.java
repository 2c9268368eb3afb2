package io.peerflow.conformance;

import io.peerflow.concurrent.Failures;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Replays trace files and directories of traces and reports on them: each mismatch, one line per
 * file, and a final {@code N passed, M failed}. Stateless; each call replays afresh.
 */
public final class Conformance {

  /** File name ending of a trace. */
  static final String TRACE_SUFFIX = ".jsonl";

  private Conformance() {}

  /** The totals of a run, and whether some input could not be read. */
  public record Summary(int passed, int failed, int unreadable) {
    /** True when every line of every input matched. */
    public boolean ok() {
      return failed == 0 && unreadable == 0;
    }
  }

  /**
   * Replays every input: a trace file, or a directory whose {@code *.jsonl} files are replayed in
   * name order. Results go to {@code out}, problems with the inputs to {@code err} (one line each,
   * no stack traces).
   */
  public static Summary run(List<String> inputs, PrintWriter out, PrintWriter err) {
    TraceReplayer replayer = new TraceReplayer();
    int passed = 0;
    int failed = 0;
    int unreadable = 0;
    for (String input : inputs) {
      List<Path> traces;
      try {
        traces = traces(Paths.get(input));
      } catch (IOException | IllegalArgumentException e) {
        err.println("peerflow conformance: cannot read " + input + ": " + reason(e));
        unreadable++;
        continue;
      }
      for (Path trace : traces) {
        String name = trace.toString();
        try {
          TraceResult result = replayer.replay(trace, name);
          result.mismatches().forEach(out::println);
          out.println(name + ": " + result.passed() + " passed, " + result.failed() + " failed");
          passed += result.passed();
          failed += result.failed();
        } catch (IOException e) {
          err.println("peerflow conformance: cannot read " + name + ": " + reason(e));
          unreadable++;
        }
      }
    }
    out.println(passed + " passed, " + failed + " failed");
    out.flush();
    err.flush();
    return new Summary(passed, failed, unreadable);
  }

  /** The traces an input names: itself if a file, its {@code *.jsonl} files if a directory. */
  static List<Path> traces(Path input) throws IOException {
    if (Files.isRegularFile(input)) {
      if (!Files.isReadable(input)) {
        throw new IOException("permission denied");
      }
      return List.of(input);
    }
    if (!Files.isDirectory(input)) {
      throw new IOException("no such file or directory");
    }
    List<Path> traces = new ArrayList<>();
    try (Stream<Path> entries = Files.list(input)) {
      entries
          .filter(p -> p.getFileName().toString().endsWith(TRACE_SUFFIX) && Files.isRegularFile(p))
          .sorted()
          .forEach(traces::add);
    }
    if (traces.isEmpty()) {
      throw new IOException("no *" + TRACE_SUFFIX + " traces in this directory");
    }
    return traces;
  }

  private static String reason(Exception e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    return Failures.describe(e);
  }
}
