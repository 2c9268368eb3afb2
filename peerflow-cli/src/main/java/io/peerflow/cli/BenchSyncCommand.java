package io.peerflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peerflow.chain.config.ChainConfig;
import io.peerflow.eth.Shaping;
import io.peerflow.generate.ChainGenerator;
import io.peerflow.rlpx.Enode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code peerflow bench sync}: syncs one generated chain from the same shaped loopback peers once
 * per fetch policy, each sync in a JVM of its own, and compares time, blocks per second, efficiency
 * against the peers' combined rate, and peak heap. One invocation per instance.
 */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description = {
      "Starts shaped serving peers on loopback (rates spanning 10x, plus one that never answers),",
      "then syncs the same generated chain from them once per policy, each run in its own JVM",
      "into an empty directory, and prints time, blocks/s, efficiency (blocks/s over the peers'",
      "combined rate) and the sync JVM's peak heap side by side."
    })
public final class BenchSyncCommand implements Callable<Integer> {

  /**
   * Slowest peer's rate in items per second; the others go up to ten times that. Low enough that
   * the peers, not the two cores of a small machine, are the bottleneck: that is what a downloader
   * is judged on.
   */
  static final double SLOWEST_RATE = 60;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--peers",
      defaultValue = "8",
      paramLabel = "N",
      description = "Serving peers, one of them a staller (default: ${DEFAULT-VALUE}).")
  int peers;

  @Option(
      names = "--blocks",
      defaultValue = "20000",
      paramLabel = "N",
      description = "Chain length (default: ${DEFAULT-VALUE}).")
  long blocks;

  @Option(
      names = "--txs",
      defaultValue = "10",
      paramLabel = "N",
      description =
          "Mean transactions per block of the generated chain (default: ${DEFAULT-VALUE}).")
  int txs;

  @Option(
      names = "--policies",
      defaultValue = "geth,fixed,pipelined",
      split = ",",
      paramLabel = "NAME",
      description = "Policies to compare (default: ${DEFAULT-VALUE}).")
  List<String> policies;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
  Path json;

  @Option(
      names = "--timeout",
      defaultValue = "900",
      paramLabel = "S",
      description = "Longest a run may take (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  /** The shapes: {@code n - 1} rates spread geometrically over 10x, then a staller. */
  static List<Shaping> shapes(int n) {
    List<Shaping> out = new ArrayList<>();
    int rated = n - 1;
    for (int i = 0; i < rated; i++) {
      double rate =
          rated == 1 ? SLOWEST_RATE * 10 : SLOWEST_RATE * Math.pow(10, (double) i / (rated - 1));
      out.add(new Shaping(Math.round(rate), Duration.ofMillis(10 + 10L * i)));
    }
    out.add(new Shaping(0, LocalNetwork.STALL));
    return out;
  }

  @Override
  public Integer call() throws Exception {
    if (peers < 2) {
      throw new IllegalArgumentException("--peers must be at least 2 (one of them stalls)");
    }
    for (String p : policies) {
      io.peerflow.fetch.FetchPolicy.byName(p);
    }
    PrintWriter out = spec.commandLine().getOut();
    Path chainDir =
        Path.of(
            System.getProperty("user.home"),
            ".cache",
            "peerflow",
            "bench-chain-" + blocks + "-" + txs);
    if (LocalChains.finished(chainDir).isEmpty()) {
      SyncCommand.deleteTree(chainDir);
      out.printf(
          Locale.ROOT,
          "Generating the benchmark chain (%,d blocks, once per machine) in %s%n",
          blocks,
          chainDir);
      out.flush();
      LocalChains.generate(
          new ChainGenerator(new ChainGenerator.Params(blocks, txs, 1337000, 1)),
          chainDir,
          (d, t) -> {});
    }
    Path genesis = chainDir.resolve(LocalChains.GENESIS_FILE);
    ChainConfig config = ChainConfig.named(genesis.toString());
    List<Shaping> shapes = shapes(peers);
    double idealBlocks = 0;
    for (Shaping s : shapes) {
      idealBlocks += s.latency().compareTo(LocalNetwork.STALL) < 0 ? s.itemsPerSecond() : 0;
    }
    // A block is three items: its header, its body and its receipts.
    idealBlocks /= 3;
    out.printf(
        Locale.ROOT,
        "Peers: %s; ideal %.0f blocks/s%n",
        shapes.stream().map(LocalNetwork::describe).toList(),
        idealBlocks);
    List<ObjectNode> results = new ArrayList<>();
    ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    for (String policy : policies) {
      Path tmp = Files.createTempDirectory("peerflow-bench-");
      try (LocalNetwork net = LocalNetwork.start(chainDir, config, shapes)) {
        List<String> cmd =
            new ArrayList<>(
                List.of(
                    ProcessHandle.current().info().command().orElse("java"),
                    "-cp",
                    System.getProperty("java.class.path"),
                    Peerflow.class.getName(),
                    "sync",
                    "--network",
                    genesis.toString(),
                    "--datadir",
                    tmp.resolve("data").toString(),
                    "--to",
                    String.valueOf(blocks),
                    "--policy",
                    policy,
                    "--quiet",
                    "--json",
                    tmp.resolve("r.json").toString()));
        for (Enode e : net.enodes()) {
          cmd.add("--peer");
          cmd.add(e.toString());
        }
        out.printf(Locale.ROOT, "Running %s...%n", policy);
        out.flush();
        Process p =
            loopbackOnly(new ProcessBuilder(cmd))
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("sync.log").toFile())
                .start();
        boolean finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
        ObjectNode r = m.createObjectNode();
        r.put("policy", policy);
        if (finished && p.exitValue() == 0) {
          JsonNode report = m.readTree(tmp.resolve("r.json").toFile());
          double bps = report.get("blocksPerSecond").asDouble();
          r.put("seconds", report.get("seconds").asDouble());
          r.put("blocksPerSecond", bps);
          r.put("efficiency", bps / idealBlocks);
          r.put("peakHeapBytes", report.get("peakHeapBytes").asLong());
        } else {
          r.putNull("seconds");
          r.put(
              "error",
              finished
                  ? lastLine(tmp.resolve("sync.log"))
                  : "did not finish within " + timeoutSeconds + " s");
        }
        results.add(r);
      } finally {
        SyncCommand.deleteTree(tmp);
      }
    }
    out.printf(
        Locale.ROOT,
        "%n%-10s %9s %9s %10s %10s%n",
        "policy",
        "seconds",
        "blocks/s",
        "efficiency",
        "peak heap");
    for (ObjectNode r : results) {
      if (r.get("seconds").isNull()) {
        out.printf(
            Locale.ROOT, "%-10s failed: %s%n", r.get("policy").asText(), r.get("error").asText());
      } else {
        out.printf(
            Locale.ROOT,
            "%-10s %9.1f %9.0f %10.3f %8.0f MB%n",
            r.get("policy").asText(),
            r.get("seconds").asDouble(),
            r.get("blocksPerSecond").asDouble(),
            r.get("efficiency").asDouble(),
            r.get("peakHeapBytes").asLong() / 1e6);
      }
    }
    if (json != null) {
      ObjectNode root = m.createObjectNode();
      root.put("blocks", blocks);
      root.put("peers", peers);
      root.put("idealBlocksPerSecond", idealBlocks);
      ArrayNode arr = root.putArray("results");
      results.forEach(arr::add);
      Files.write(json, m.writeValueAsBytes(root));
      out.println("Results written to " + json);
    }
    return results.stream().allMatch(r -> !r.get("seconds").isNull()) ? 0 : 1;
  }

  private static String lastLine(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank()) {
          return lines.get(i);
        }
      }
    } catch (java.io.IOException e) {
      return "no log";
    }
    return "exited without a message";
  }

  /**
   * A benchmark's child process talks to loopback peers only; the guard makes sure of it, whatever
   * a peer's answer or a flag names.
   */
  static ProcessBuilder loopbackOnly(ProcessBuilder pb) {
    pb.environment().put(io.peerflow.rlpx.LoopbackGuard.VARIABLE, "1");
    return pb;
  }
}
