package io.peerflow.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JVM spent its CPU, from the execution samples of a Flight Recorder file: the methods at
 * the top of the sampled stacks, each with its share of the samples. Immutable; thread-safe.
 *
 * @param samples execution samples in the recording
 * @param top the methods most often on top of the stack, most first
 */
record ExecutionProfile(long samples, List<Entry> top) {

  /** A method ({@code pkg.Class.method}) and the share of samples it was on top of the stack. */
  record Entry(String method, long samples, double share) {}

  /** The {@code limit} methods most often on top of a sampled Java stack in {@code jfr}. */
  static ExecutionProfile read(Path jfr, int limit) throws IOException {
    Map<String, Long> counts = new HashMap<>();
    long total = 0;
    try (RecordingFile file = new RecordingFile(jfr)) {
      while (file.hasMoreEvents()) {
        RecordedEvent e = file.readEvent();
        if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
          continue;
        }
        RecordedStackTrace stack = e.getStackTrace();
        if (stack == null || stack.getFrames().isEmpty()) {
          continue;
        }
        total++;
        counts.merge(name(stack.getFrames().get(0)), 1L, Long::sum);
      }
    }
    long all = total;
    List<Entry> top =
        counts.entrySet().stream()
            .sorted(
                Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                    .thenComparing(Map.Entry.comparingByKey()))
            .limit(limit)
            .map(c -> new Entry(c.getKey(), c.getValue(), (double) c.getValue() / all))
            .toList();
    return new ExecutionProfile(all, top);
  }

  private static String name(RecordedFrame frame) {
    RecordedMethod m = frame.getMethod();
    return m.getType().getName() + "." + m.getName();
  }
}
