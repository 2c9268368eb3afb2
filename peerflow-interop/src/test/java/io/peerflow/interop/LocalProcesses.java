package io.peerflow.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the third-party client fixtures share: running an installer or a tool to completion,
 * stopping a started client by its own process handle, free loopback ports and temporary folders.
 * Stateless; thread-safe.
 */
final class LocalProcesses {

  private LocalProcesses() {}

  /** How a finished command ended: its exit code and its output (stdout and stderr merged). */
  record Outcome(int exitCode, String output) {}

  /**
   * Runs {@code command} in {@code dir} with {@code env} added to this process's environment, and
   * returns its output; fails with the output when it exits non-zero or outlasts {@code timeout}.
   */
  static String run(List<String> command, Path dir, Map<String, String> env, Duration timeout)
      throws IOException, InterruptedException {
    Outcome o = execute(command, dir, env, timeout);
    if (o.exitCode() != 0) {
      throw new IOException(
          String.join(" ", command) + " failed (" + o.exitCode() + "):\n" + tail(o.output(), 60));
    }
    return o.output();
  }

  /**
   * Runs {@code command} to its end, whatever its exit code; fails only if it outlasts {@code
   * timeout}.
   */
  static Outcome execute(List<String> command, Path dir, Map<String, String> env, Duration timeout)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("peerflow-cmd-", ".log");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        stop(p);
        throw new IOException(
            String.join(" ", command)
                + " timed out after "
                + timeout
                + ":\n"
                + tail(Files.readString(out, StandardCharsets.UTF_8), 60));
      }
      return new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** Stops {@code p} and everything it started: politely first, then by force. */
  static void stop(Process p) {
    List<ProcessHandle> children = p.descendants().toList();
    p.destroy();
    try {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }

  /**
   * A loopback port free now (another process may take it before it is used; tests accept that).
   */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The last {@code lines} lines of {@code text}. */
  static String tail(String text, int lines) {
    List<String> all = text.lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /** The last lines of the file at {@code log}, for failure messages. */
  static String tailOf(Path log) {
    try {
      String text = Files.readString(log, StandardCharsets.UTF_8);
      // A fatal line may precede a last burst of shutdown logging; it says why the client ended.
      String fatal =
          text.lines()
              .filter(l -> l.startsWith("Fatal") || l.contains("ERROR"))
              .reduce("", (a, b) -> a + b + "\n");
      return fatal + tail(text, 40);
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /** Deletes {@code dir} and everything in it; a leftover temporary folder is only logged away. */
  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException | UncheckedIOException e) {
      // A leftover temp folder is harmless; the process is what must not leak.
    }
  }
}
