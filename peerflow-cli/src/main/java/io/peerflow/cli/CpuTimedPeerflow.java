package io.peerflow.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Entry point of the benchmarks' child processes: runs one {@code peerflow} command, then writes
 * the user+system CPU time its own process spent, in nanoseconds, to a file, and exits with the
 * command's code. A parent cannot read that time once the child has exited, and reading it just
 * before would miss the end of the run. Single-use.
 */
final class CpuTimedPeerflow {

  private CpuTimedPeerflow() {}

  /** {@code CPU_FILE COMMAND ARGS…}: the file to write the CPU time to, then peerflow's args. */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: CpuTimedPeerflow CPU_FILE COMMAND [ARGS…]");
      System.exit(2);
    }
    int code = Peerflow.commandLine().execute(Arrays.copyOfRange(args, 1, args.length));
    Files.writeString(
        Path.of(args[0]), Long.toString(processCpuNanos()), StandardCharsets.US_ASCII);
    System.exit(code);
  }

  /** User plus system CPU time of this process so far, in nanoseconds; -1 if unknown. */
  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
