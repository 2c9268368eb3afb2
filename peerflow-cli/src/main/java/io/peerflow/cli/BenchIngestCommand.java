package io.peerflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peerflow.generate.ChainGenerator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code peerflow bench ingest}: what a sync costs in CPU when the network is not the limit. Serves
 * a generated chain of mainnet-sized blocks from unshaped loopback peers, each in a process of its
 * own, syncs it in a fresh JVM, and reports each side's CPU seconds per gigabyte of bodies and
 * receipts, the throughput, and where the sync spent its samples. One invocation per instance.
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Serves a generated chain of mainnet-sized blocks from unshaped loopback peers, each a",
      "process of its own, syncs it in a fresh JVM under a Flight Recorder profile, and prints",
      "CPU seconds per GB of bodies and receipts on each side (each process's own user+system",
      "time), MB/s, blocks/s and the methods the sync spent most samples in."
    })
public final class BenchIngestCommand implements Callable<Integer> {

  /** Profile entries printed: enough to see every hot primitive, short enough to read. */
  static final int PROFILE_ENTRIES = 15;

  /** How long a serving process may take to start and print its enode. */
  private static final Duration SERVE_START = Duration.ofSeconds(60);

  /** Bodies and receipts bytes of the cached chain, written once it is complete. */
  static final String BYTES_FILE = "ingest-bytes";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--blocks",
      defaultValue = "4000",
      paramLabel = "N",
      description = "Chain length (default: ${DEFAULT-VALUE}).")
  long blocks;

  @Option(
      names = "--txs",
      defaultValue = "150",
      paramLabel = "N",
      description =
          "Mean transactions per block; 150 makes mainnet-sized blocks (default:"
              + " ${DEFAULT-VALUE}).")
  int txs;

  @Option(
      names = "--peers",
      defaultValue = "2",
      paramLabel = "N",
      description = "Serving processes (default: ${DEFAULT-VALUE}).")
  int peers;

  @Option(
      names = "--heap",
      defaultValue = "256m",
      paramLabel = "SIZE",
      description = "The sync JVM's -Xmx (default: ${DEFAULT-VALUE}).")
  String heap;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
  Path json;

  @Option(
      names = "--jfr",
      paramLabel = "FILE",
      description =
          "Keep the sync's Flight Recording there (for `jfr print` or a profiler's view).")
  Path keepJfr;

  @Option(
      names = "--timeout",
      defaultValue = "900",
      paramLabel = "S",
      description = "Longest the sync may take (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    if (peers < 1 || blocks < 1 || txs < 1) {
      throw new IllegalArgumentException("--peers, --blocks and --txs must be at least 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    Path cache = Path.of(System.getProperty("user.home"), ".cache", "peerflow");
    Path chainDir = cache.resolve("ingest-chain-" + blocks + "-" + txs);
    long bytes = chain(chainDir, out);
    Path genesis = chainDir.resolve(LocalChains.GENESIS_FILE);
    Path tmp = Files.createTempDirectory("peerflow-ingest-");
    List<Process> serves = new ArrayList<>();
    try {
      List<String> enodes = new ArrayList<>();
      for (int i = 0; i < peers; i++) {
        Path copy = tmp.resolve("serve-" + i);
        linkCopy(chainDir, copy);
        Process p =
            start(List.of("serve", "--datadir", copy.toString(), "--listen", "127.0.0.1:0"));
        serves.add(p);
        enodes.add(enode(p, tmp.resolve("serve-" + i + ".log")));
      }
      long[] serveCpuBefore = serves.stream().mapToLong(BenchIngestCommand::cpuNanos).toArray();
      Path jfr = tmp.resolve("sync.jfr");
      Path cpuFile = tmp.resolve("sync.cpu");
      Path report = tmp.resolve("sync.json");
      List<String> sync =
          new ArrayList<>(
              List.of(
                  "-Xmx" + heap,
                  "-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true",
                  "-cp",
                  System.getProperty("java.class.path"),
                  CpuTimedPeerflow.class.getName(),
                  cpuFile.toString(),
                  "sync",
                  "--network",
                  genesis.toString(),
                  "--datadir",
                  tmp.resolve("sync").toString(),
                  "--to",
                  String.valueOf(blocks),
                  "--json",
                  report.toString()));
      for (String e : enodes) {
        sync.add("--peer");
        sync.add(e);
      }
      out.printf(
          Locale.ROOT,
          "Syncing %,d blocks (%.1f MB of bodies and receipts) from %d unshaped loopback"
              + " peers, -Xmx%s%n",
          blocks,
          bytes / 1e6,
          peers,
          heap);
      out.flush();
      Process p =
          BenchSyncCommand.loopbackOnly(new ProcessBuilder(java(sync)))
              .redirectErrorStream(true)
              .start();
      List<Sample> samples = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread reader = follow(p, tmp.resolve("sync.log"), serves, samples);
      boolean finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
      long[] serveCpuAfter = serves.stream().mapToLong(BenchIngestCommand::cpuNanos).toArray();
      if (!finished) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException("the sync did not finish within " + timeoutSeconds + " s");
      }
      reader.join(TimeUnit.SECONDS.toMillis(10));
      if (p.exitValue() != 0 || !Files.isRegularFile(report)) {
        throw new IllegalStateException(
            "the sync failed: " + lastLines(tmp.resolve("sync.log"), 5));
      }
      ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      JsonNode r = m.readTree(report.toFile());
      double seconds = r.get("seconds").asDouble();
      double gb = bytes / 1e9;
      double syncCpu = Long.parseLong(Files.readString(cpuFile).trim()) / 1e9;
      double serveCpu = 0;
      for (int i = 0; i < serves.size(); i++) {
        serveCpu += (serveCpuAfter[i] - serveCpuBefore[i]) / 1e9;
      }
      ExecutionProfile profile = ExecutionProfile.read(jfr, PROFILE_ENTRIES);
      if (keepJfr != null) {
        Files.copy(jfr, keepJfr, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      ObjectNode root = m.createObjectNode();
      root.put("blocks", blocks);
      root.put("txs", txs);
      root.put("peers", peers);
      root.put("bytes", bytes);
      root.put("seconds", seconds);
      root.put("syncCpuSeconds", syncCpu);
      root.put("serveCpuSeconds", serveCpu);
      root.put("syncCpuSecondsPerGB", syncCpu / gb);
      root.put("serveCpuSecondsPerGB", serveCpu / gb);
      Steady steady = Steady.of(samples, gb);
      if (steady != null) {
        root.put("steadyFromFraction", steady.from());
        root.put("steadyToFraction", steady.to());
        root.put("syncSteadyCpuSecondsPerGB", steady.syncCpuPerGb());
        root.put("serveSteadyCpuSecondsPerGB", steady.serveCpuPerGb());
      }
      root.put("megabytesPerSecond", bytes / 1e6 / seconds);
      root.put("blocksPerSecond", r.get("blocksPerSecond").asDouble());
      root.put("peakHeapBytes", r.get("peakHeapBytes").asLong());
      root.put("profileSamples", profile.samples());
      ArrayNode top = root.putArray("profile");
      for (ExecutionProfile.Entry e : profile.top()) {
        top.addObject().put("method", e.method()).put("share", e.share());
      }
      print(out, root, profile);
      if (json != null) {
        Files.write(json, m.writeValueAsBytes(root));
        out.println("Results written to " + json);
      }
      return 0;
    } finally {
      for (Process s : serves) {
        s.destroy();
      }
      for (Process s : serves) {
        if (!s.waitFor(20, TimeUnit.SECONDS)) {
          s.destroyForcibly();
          s.waitFor(10, TimeUnit.SECONDS);
        }
      }
      SyncCommand.deleteTree(tmp);
    }
  }

  private static void print(PrintWriter out, ObjectNode r, ExecutionProfile profile) {
    out.printf(
        Locale.ROOT,
        "%nSynced in %.1f s: %.1f MB/s, %.0f blocks/s, peak heap %.0f MB%n",
        r.get("seconds").asDouble(),
        r.get("megabytesPerSecond").asDouble(),
        r.get("blocksPerSecond").asDouble(),
        r.get("peakHeapBytes").asLong() / 1e6);
    out.printf(
        Locale.ROOT,
        "sync:  %6.1f CPU-s  %6.1f CPU-s/GB%n",
        r.get("syncCpuSeconds").asDouble(),
        r.get("syncCpuSecondsPerGB").asDouble());
    out.printf(
        Locale.ROOT,
        "serve: %6.1f CPU-s  %6.1f CPU-s/GB (all serving processes, during the sync)%n",
        r.get("serveCpuSeconds").asDouble(),
        r.get("serveCpuSecondsPerGB").asDouble());
    if (r.has("syncSteadyCpuSecondsPerGB")) {
      out.printf(
          Locale.ROOT,
          "steady state (from %.0f%% to %.0f%% of the bytes, JIT warm-up and start-up left out):"
              + " sync %.1f CPU-s/GB, serve %.1f CPU-s/GB%n",
          100 * r.get("steadyFromFraction").asDouble(),
          100 * r.get("steadyToFraction").asDouble(),
          r.get("syncSteadyCpuSecondsPerGB").asDouble(),
          r.get("serveSteadyCpuSecondsPerGB").asDouble());
    } else {
      out.println("steady state: the run was too short to measure one (try more --blocks)");
    }
    out.printf(Locale.ROOT, "%nSync profile (%,d samples, top of stack):%n", profile.samples());
    for (ExecutionProfile.Entry e : profile.top()) {
      out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100 * e.share(), e.method());
    }
  }

  /** Generates the chain once per machine; returns its bytes of bodies and receipts. */
  private long chain(Path dir, PrintWriter out) throws IOException {
    Path bytesFile = dir.resolve(BYTES_FILE);
    if (LocalChains.finished(dir).isPresent() && Files.isRegularFile(bytesFile)) {
      return Long.parseLong(Files.readString(bytesFile).trim());
    }
    SyncCommand.deleteTree(dir);
    out.printf(
        Locale.ROOT,
        "Generating the benchmark chain (%,d blocks of %d transactions, once per machine) in %s%n",
        blocks,
        txs,
        dir);
    out.flush();
    LocalChains.Generated g =
        LocalChains.generate(
            new ChainGenerator(new ChainGenerator.Params(blocks, txs, 1337000, 1)),
            dir,
            (d, t) -> {});
    Files.writeString(bytesFile, Long.toString(g.bytes()), StandardCharsets.US_ASCII);
    return g.bytes();
  }

  /**
   * A copy of a data directory for one serving process (a store is opened by one process at a
   * time): RocksDB never changes a table file once written, so those are hard links, and only the
   * small manifest and log files are copied.
   */
  static void linkCopy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else if (f.getFileName().toString().endsWith(".sst")) {
          try {
            Files.createLink(target, f);
          } catch (IOException | UnsupportedOperationException e) {
            Files.copy(f, target);
          }
        } else {
          Files.copy(f, target);
        }
      }
    }
  }

  private static List<String> java(List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(args);
    return cmd;
  }

  private static Process start(List<String> peerflowArgs) throws IOException {
    List<String> args = new ArrayList<>();
    args.add("-cp");
    args.add(System.getProperty("java.class.path"));
    args.add(Peerflow.class.getName());
    args.addAll(peerflowArgs);
    return BenchSyncCommand.loopbackOnly(new ProcessBuilder(java(args)))
        .redirectErrorStream(true)
        .start();
  }

  /**
   * Waits for a serving process to print its enode, copying everything it prints to {@code log} on
   * a thread of its own (which ends with the process).
   */
  private static String enode(Process p, Path log) throws Exception {
    CompletableFuture<String> enode = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                  var w = Files.newBufferedWriter(log)) {
                String line;
                while ((line = in.readLine()) != null) {
                  w.write(line);
                  w.newLine();
                  w.flush();
                  if (line.startsWith("enode://")) {
                    enode.complete(line.trim());
                  }
                }
                enode.completeExceptionally(
                    new IllegalStateException(
                        "a serving process ended before it served: " + lastLines(log, 3)));
              } catch (IOException e) {
                enode.completeExceptionally(e);
              }
            },
            "peerflow-ingest-serve-log");
    reader.setDaemon(true);
    reader.start();
    return enode.get(SERVE_START.toSeconds(), TimeUnit.SECONDS);
  }

  /** User+system CPU time of a running process so far, in nanoseconds. */
  private static long cpuNanos(Process p) {
    return p.info()
        .totalCpuDuration()
        .orElseThrow(
            () -> new IllegalStateException("this system does not report a process's CPU time"))
        .toNanos();
  }

  private static String lastLines(Path log, int n) {
    try {
      List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
      return String.join(" / ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    } catch (IOException e) {
      return "no log";
    }
  }

  /** Where a progress line of the sync puts a part: {@code bodies 795/6000}. */
  private static final java.util.regex.Pattern PART =
      java.util.regex.Pattern.compile("(bodies|receipts) (\\d+)/(\\d+)");

  /** The share of the steady-state window's start: JIT compilation is mostly over by then. */
  static final double STEADY_FROM = 0.25;

  /** Fetched bodies and receipts as a fraction of all, and each side's CPU at that moment. */
  record Sample(double fraction, long syncCpuNanos, long serveCpuNanos) {}

  /**
   * CPU per GB between the first sample past {@link #STEADY_FROM} of the bytes and the last one: a
   * long sync's marginal cost, without the start-up and compilation every run pays once.
   */
  record Steady(double from, double to, double syncCpuPerGb, double serveCpuPerGb) {

    /** The steady state of {@code samples}, or null if they span too little of the run. */
    static Steady of(List<Sample> samples, double gb) {
      Sample first = null;
      for (Sample s : samples) {
        if (s.fraction() >= STEADY_FROM) {
          first = s;
          break;
        }
      }
      if (first == null) {
        return null;
      }
      Sample last = samples.get(samples.size() - 1);
      double span = last.fraction() - first.fraction();
      // Less than a fifth of the bytes is a window of a few seconds: noise, not a rate.
      if (span < 0.2) {
        return null;
      }
      return new Steady(
          first.fraction(),
          last.fraction(),
          (last.syncCpuNanos() - first.syncCpuNanos()) / 1e9 / (span * gb),
          (last.serveCpuNanos() - first.serveCpuNanos()) / 1e9 / (span * gb));
    }
  }

  /** The fraction of bodies and receipts a progress line reports as fetched, or -1. */
  static double fraction(String progressLine) {
    java.util.regex.Matcher m = PART.matcher(progressLine);
    long done = 0;
    long total = 0;
    while (m.find()) {
      done += Long.parseLong(m.group(2));
      total += Long.parseLong(m.group(3));
    }
    return total == 0 ? -1 : (double) done / total;
  }

  /**
   * Copies the sync's output to {@code log} on a thread of its own, and at each progress line takes
   * the CPU time of the sync and of the serving processes.
   */
  private static Thread follow(Process p, Path log, List<Process> serves, List<Sample> samples) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                  var w = Files.newBufferedWriter(log)) {
                String line;
                while ((line = in.readLine()) != null) {
                  w.write(line);
                  w.newLine();
                  double f = line.startsWith("[") ? fraction(line) : -1;
                  if (f >= 0 && p.isAlive()) {
                    long sync = p.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
                    long serve = 0;
                    for (Process s : serves) {
                      serve += cpuNanos(s);
                    }
                    if (sync >= 0) {
                      samples.add(new Sample(f, sync, serve));
                    }
                  }
                }
              } catch (IOException e) {
                // The log is a convenience; the figures come from the report and the CPU file.
              }
            },
            "peerflow-ingest-sync-log");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
