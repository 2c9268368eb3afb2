package io.peerflow.era;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One go-ethereum chain command ({@code init}, {@code import}, {@code import-history}, {@code
 * export-history}) run on a data directory, for cross-checks and side-by-side benchmarks. Chain
 * commands open no sockets; every run still passes {@code --nodiscover --maxpeers 0 --port 0} so
 * that nothing could listen beyond loopback. The process is waited for with a deadline and, past
 * it, destroyed through its own handle. Its CPU time is read from the shell's {@code times} (user
 * plus system of the child), since a finished child's CPU time is not visible to the JVM.
 *
 * <p>Stateless; thread-safe (each run is its own process).
 */
public final class GethCommand {

  /** Where the project's build of go-ethereum v1.17.10 lives. */
  public static final Path DEFAULT_BINARY =
      Path.of(System.getProperty("user.home"), ".cache/peerflow/go-ethereum-v1.17.10/bin/geth");

  /** What a run gave: exit code, output (stdout and stderr), wall and CPU seconds. */
  public record Result(int exitCode, String output, double wallSeconds, double cpuSeconds) {}

  private static final Pattern TIMES =
      Pattern.compile("(\\d+)m([\\d.]+)s\\s+(\\d+)m([\\d.]+)s\\s*$");

  private final Path binary;

  public GethCommand(Path binary) {
    this.binary = binary;
  }

  /** The default build, if it exists. */
  public static Optional<GethCommand> installed() {
    return Files.isExecutable(DEFAULT_BINARY)
        ? Optional.of(new GethCommand(DEFAULT_BINARY))
        : Optional.empty();
  }

  /**
   * Runs {@code geth --datadir DATADIR <networking off> ARGS...}.
   *
   * @throws IOException when it cannot be started or outlives {@code deadline}
   */
  public Result run(Path datadir, Duration deadline, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.toString());
    cmd.add("--datadir");
    cmd.add(datadir.toString());
    cmd.add("--nodiscover");
    cmd.add("--maxpeers");
    cmd.add("0");
    cmd.add("--port");
    cmd.add("0");
    cmd.addAll(List.of(args));
    StringBuilder script = new StringBuilder();
    for (String c : cmd) {
      script.append('\'').append(c.replace("'", "'\\''")).append("' ");
    }
    // `times` prints the shell's and then its children's user and system time.
    script.append("; code=$?; times; exit $code");
    Path log = Files.createTempFile("geth-", ".log");
    try {
      ProcessBuilder pb =
          new ProcessBuilder("bash", "-c", script.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      long t0 = System.nanoTime();
      Process p = pb.start();
      if (!p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new IOException("geth " + args[0] + " did not finish within " + deadline);
      }
      double wall = (System.nanoTime() - t0) / 1e9;
      String out = Files.readString(log, StandardCharsets.UTF_8);
      double cpu = Double.NaN;
      String[] lines = out.strip().split("\n");
      Matcher m = TIMES.matcher(lines[lines.length - 1]);
      if (m.find()) {
        cpu =
            Long.parseLong(m.group(1)) * 60
                + Double.parseDouble(m.group(2))
                + Long.parseLong(m.group(3)) * 60
                + Double.parseDouble(m.group(4));
      }
      return new Result(p.exitValue(), out, wall, cpu);
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
