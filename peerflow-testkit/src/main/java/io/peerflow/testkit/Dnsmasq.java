package io.peerflow.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real DNS server on loopback serving given TXT records: Debian's dnsmasq, started on a free port
 * of 127.0.0.1 ({@code --port}, {@code --listen-address=127.0.0.1}, {@code --no-resolv}) with no
 * upstream servers, and stopped by its own process handle. Thread-safe.
 *
 * <p>A text over 255 characters is handed to dnsmasq as several strings of one record, the way DNS
 * carries it. When dnsmasq is missing it is installed once from Debian's packages ({@code apt-get
 * install -y dnsmasq-base}, after an {@code apt-get update} if the package lists lack it), the way
 * the other fixtures install their clients, so the test command needs no manual step.
 */
public final class Dnsmasq implements AutoCloseable {

  /** One DNS character-string holds at most 255 bytes. */
  private static final int MAX_STRING = 255;

  /** How long dnsmasq may take to say it started, on a loaded machine. */
  private static final long START_TIMEOUT_SECONDS = 20;

  private final Process process;
  private final InetSocketAddress address;
  private final Path conf;

  private Dnsmasq(Process process, InetSocketAddress address, Path conf) {
    this.process = process;
    this.address = address;
    this.conf = conf;
  }

  /** Starts dnsmasq serving {@code txtRecords} (fully qualified name to text). */
  public static Dnsmasq start(Map<String, String> txtRecords) throws IOException {
    String binary = binary();
    // The records go in a configuration file of txt-record lines: dnsmasq unquotes strings there,
    // while on its command line quotes stay in the text and every comma splits it.
    Path conf = Files.createTempFile("dnsmasq", ".conf");
    StringBuilder lines0 = new StringBuilder();
    txtRecords.forEach((name, text) -> lines0.append(txtRecord(name, text)).append('\n'));
    Files.writeString(conf, lines0.toString(), StandardCharsets.US_ASCII);
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port;
      try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
        port = probe.getLocalPort();
      }
      List<String> command = new ArrayList<>();
      command.add(binary);
      command.add("--keep-in-foreground");
      command.add("--conf-file=" + conf);
      command.add("--no-resolv");
      command.add("--no-hosts");
      command.add("--bind-interfaces");
      command.add("--listen-address=127.0.0.1");
      command.add("--port=" + port);
      command.add("--pid-file=");
      command.add("--log-facility=-");
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      BlockingQueue<String> lines = new ArrayBlockingQueue<>(1024);
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.offer(line);
                  }
                } catch (IOException closed) {
                  // the process ended
                }
              },
              "dnsmasq-output");
      reader.setDaemon(true);
      reader.start();
      StringBuilder output = new StringBuilder();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
      try {
        while (System.nanoTime() < deadline) {
          String line = lines.poll(100, TimeUnit.MILLISECONDS);
          if (line != null) {
            output.append(line).append('\n');
            if (line.contains("started, version")) {
              return new Dnsmasq(
                  p, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), conf);
            }
          } else if (!p.isAlive()) {
            break;
          }
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while starting dnsmasq", e);
      }
      p.destroyForcibly();
      last = new IOException("dnsmasq did not start on port " + port + ":\n" + output);
    }
    Files.deleteIfExists(conf);
    throw last;
  }

  private static synchronized String binary() throws IOException {
    String found = find();
    if (found != null) {
      return found;
    }
    // Installing needs root and Debian's apt, as on the project's machines and in CI.
    if (run("apt-get", "install", "-y", "-q", "dnsmasq-base") != 0) {
      run("apt-get", "update", "-q");
      run("apt-get", "install", "-y", "-q", "dnsmasq-base");
    }
    found = find();
    if (found == null) {
      throw new IOException(
          "dnsmasq is not installed and apt-get install -y dnsmasq-base did not install it");
    }
    return found;
  }

  private static int run(String... command) throws IOException {
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      if (!p.waitFor(10, java.util.concurrent.TimeUnit.MINUTES)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while installing dnsmasq", e);
    }
  }

  private static String find() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":", -1)) {
      Path candidate = Path.of(dir, "dnsmasq");
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    Path sbin = Path.of("/usr/sbin/dnsmasq");
    return Files.isExecutable(sbin) ? sbin.toString() : null;
  }

  /** {@code txt-record=name,"part1","part2"}: quoted, so commas in a text stay in it. */
  private static String txtRecord(String name, String text) {
    if (text.indexOf('"') >= 0 || text.indexOf('\\') >= 0) {
      throw new IllegalArgumentException("TXT text with quotes or backslashes: " + text);
    }
    StringBuilder sb = new StringBuilder("txt-record=").append(name);
    for (int i = 0; i < text.length(); i += MAX_STRING) {
      sb.append(",\"").append(text, i, Math.min(text.length(), i + MAX_STRING)).append('"');
    }
    if (text.isEmpty()) {
      sb.append(",\"\"");
    }
    return sb.toString();
  }

  /** The UDP address it answers on. */
  public InetSocketAddress address() {
    return address;
  }

  /** Stops the server and waits for it to end. */
  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      Files.deleteIfExists(conf);
    }
  }
}
