package io.peerflow.cli;

import io.peerflow.chain.config.ChainConfig;
import io.peerflow.era.Checksums;
import io.peerflow.era.EraFileName;
import io.peerflow.era.EraImport;
import io.peerflow.era.GethCommand;
import io.peerflow.store.ChainStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code peerflow bench import}: imports the same era files with peerflow and with go-ethereum's
 * {@code import-history}, each into an empty directory, and compares blocks per second and CPU
 * seconds per GB of files. One invocation per instance.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Imports era1/ere files (a file or a directory) into an empty store with peerflow (every",
      "file verified whole, as import --era does), then into an empty go-ethereum with geth",
      "import-history (networking off), and prints wall seconds, blocks/s, CPU seconds and CPU",
      "seconds per GB of files side by side."
    })
public final class BenchImportCommand implements Callable<Integer> {

  /** geth prints its own timing of the import (without start-up and database opening). */
  private static final Pattern GETH_DONE = Pattern.compile("Import done in ([0-9.]+)(ms|s|m)");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--era", required = true, paramLabel = "PATH", description = "Files to import.")
  Path era;

  @Option(
      names = "--network",
      paramLabel = "NAME|FILE",
      description =
          "mainnet, sepolia, hoodi or a genesis JSON file (default: the network the file names"
              + " say).")
  String network;

  @Option(
      names = "--geth",
      paramLabel = "FILE",
      description = "The geth binary (default: the project's build in ~/.cache/peerflow).")
  Path gethBinary;

  @Option(names = "--no-geth", description = "Measure peerflow only.")
  boolean noGeth;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<Path> files = EraImport.files(era);
    EraFileName first = EraFileName.parse(files.get(0).getFileName().toString());
    ChainConfig config = ChainConfig.named(network != null ? network : first.network());
    long bytes = 0;
    for (Path f : files) {
      bytes += Files.size(f);
      if (EraFileName.parse(f.getFileName().toString()).format() != first.format()) {
        throw new IllegalArgumentException("mixed era1 and ere files; geth takes one format a run");
      }
    }
    String format = first.format() == EraFileName.Format.ERA1 ? "era1" : "ere";
    out.printf(
        Locale.ROOT,
        "Importing %d %s file(s), %.1f MB, %s network%n",
        files.size(),
        format,
        bytes / 1e6,
        config.name());

    Path work = Files.createTempDirectory("peerflow-bench-import-");
    try {
      long blocks = 0;
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      try (ChainStore store = ChainStore.open(work.resolve("peerflow"))) {
        for (EraImport.FileResult r :
            new EraImport(store, Networks.eraName(config), config.genesisHash())
                .run(era, line -> {})) {
          blocks += r.blocks();
        }
      }
      double wall = (System.nanoTime() - t0) / 1e9;
      double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
      out.printf(
          Locale.ROOT,
          "%n%-28s %9s %10s %8s %10s%n",
          "tool",
          "seconds",
          "blocks/s",
          "CPU s",
          "CPU s/GB");
      row(out, "peerflow import --era", wall, blocks, cpu, bytes);
      if (!noGeth) {
        gethRun(out, files, format, config, work, blocks, bytes);
      }
      out.println();
      out.println(
          "peerflow: one JVM, verifying every file whole (SHA-256, accumulator, headers, bodies,"
              + " receipts) before storing; JVM start-up not included.");
      if (!noGeth) {
        out.println(
            "geth: the whole process (start-up, database creation, genesis) as measured from"
                + " outside; its own timer of the import alone is in brackets.");
      }
    } finally {
      deleteTree(work);
    }
    return 0;
  }

  private void gethRun(
      PrintWriter out,
      List<Path> files,
      String format,
      ChainConfig config,
      Path work,
      long blocks,
      long bytes)
      throws IOException, InterruptedException {
    GethCommand geth =
        gethBinary != null ? new GethCommand(gethBinary) : GethCommand.installed().orElse(null);
    if (geth == null) {
      out.println("geth: not found at " + GethCommand.DEFAULT_BINARY + " (give --geth FILE)");
      return;
    }
    // geth reads a directory of one network's files with a checksums.txt in its own form.
    Path dir = Files.createDirectories(work.resolve("geth-era"));
    Map<String, String> digests = new HashMap<>();
    for (Path f : files) {
      Files.createSymbolicLink(dir.resolve(f.getFileName()), f.toAbsolutePath());
      digests.put(f.getFileName().toString(), Checksums.sha256(f));
    }
    Checksums.of("bench", digests).write(dir.resolve(Checksums.FILE_NAME));
    Path db = work.resolve("geth");
    String name = config.name();
    boolean preset = name.equals("mainnet") || name.equals("sepolia") || name.equals("hoodi");
    if (!preset) {
      out.println("geth: " + name + " is not a network geth imports history of");
      return;
    }
    GethCommand.Result r =
        geth.run(
            db,
            Duration.ofHours(2),
            "--" + name,
            "import-history",
            "--era.format",
            format,
            dir.toString());
    if (r.exitCode() != 0) {
      String[] lines = r.output().strip().split("\n");
      out.println("geth import-history failed: " + lines[Math.max(0, lines.length - 2)]);
      return;
    }
    String label = "geth import-history";
    Matcher m = GETH_DONE.matcher(r.output());
    if (m.find()) {
      double v = Double.parseDouble(m.group(1));
      double s = m.group(2).equals("ms") ? v / 1000 : m.group(2).equals("m") ? v * 60 : v;
      label += String.format(Locale.ROOT, " [%.1f s]", s);
    }
    row(out, label, r.wallSeconds(), blocks, r.cpuSeconds(), bytes);
  }

  private static void row(
      PrintWriter out, String tool, double seconds, long blocks, double cpu, long bytes) {
    out.printf(
        Locale.ROOT,
        "%-28s %9.1f %,10.0f %8.1f %,10.0f%n",
        tool,
        seconds,
        blocks / seconds,
        cpu,
        cpu / (bytes / 1e9));
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
