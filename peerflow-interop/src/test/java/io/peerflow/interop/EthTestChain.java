package io.peerflow.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerflow.cli.Peerflow;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * go-ethereum's eth protocol test chain in {@code ../shared/geth-ethtest/} (600 blocks: Shanghai,
 * Cancun from block 6, Prague from block 12; block 11's receipts are about 10.6 MB), and one geth
 * data directory with it imported, made once per test JVM and shared by every geth node the tests
 * start. Thread-safe.
 */
final class EthTestChain {

  static final long HEAD = 600;

  /** Block 600's hash, as the chain's README states. */
  static final String HEAD_HASH =
      "0x44e3809c9a3cda717f00aea3a9da336d149612c8d5657fbc0028176ef8d94d2a";

  /** The block whose receipts exceed go-ethereum's 10 MiB message limit. */
  static final long LARGE_RECEIPTS_BLOCK = 11;

  private static Path workDir;
  private static Path template;

  private EthTestChain() {}

  /** The shared folder; fails (never skips) when it is missing. */
  static Path dir() {
    Path dir =
        Path.of(System.getProperty("peerflow.root", "."))
            .toAbsolutePath()
            .normalize()
            .resolveSibling("shared")
            .resolve("geth-ethtest");
    if (!Files.isRegularFile(dir.resolve("chain.rlp"))) {
      throw new IllegalStateException(
          "geth test chain not found at " + dir + " (the repository expects ../shared beside it)");
    }
    return dir;
  }

  static Path genesis() {
    return dir().resolve("genesis.json");
  }

  static Path chainRlp() {
    return dir().resolve("chain.rlp");
  }

  /** A folder for this JVM's geth nodes, deleted when the JVM exits. */
  static synchronized Path workDir() throws IOException {
    if (workDir == null) {
      Path dir = Files.createTempDirectory("peerflow-geth-");
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> LocalProcesses.deleteTree(dir), "geth-cleanup"));
      workDir = dir;
    }
    return workDir;
  }

  /** A geth data directory holding the whole chain, imported on first use. */
  static synchronized Path gethTemplate() throws IOException, InterruptedException {
    if (template == null) {
      template = GethNode.prepare(workDir(), genesis(), chainRlp());
    }
    return template;
  }

  /**
   * Runs {@code peerflow sync} of this chain from {@code peers} into {@code data} and returns its
   * JSON report; fails with the command's output unless it exits 0.
   */
  static JsonNode sync(Path data, List<String> peers, Path json) throws Exception {
    var cl = Peerflow.commandLine();
    var out = new StringWriter();
    var err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    List<String> args = new ArrayList<>(List.of("sync"));
    for (String p : peers) {
      args.add("--peer");
      args.add(p);
    }
    args.addAll(
        List.of(
            "--network",
            genesis().toString(),
            "--datadir",
            data.toString(),
            "--quiet",
            "--json",
            json.toString()));
    int code = cl.execute(args.toArray(String[]::new));
    if (code != 0) {
      throw new AssertionError("sync exited with " + code + ":\n" + out + "\n" + err);
    }
    return new ObjectMapper().readTree(json.toFile());
  }

  /** Starts a geth node serving the whole chain; the caller closes it. */
  static GethNode startGeth() throws IOException, InterruptedException {
    return GethNode.start(workDir(), gethTemplate());
  }
}
