package io.peerflow.interop;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real ethereumjs client (0.10.5, from the npm registry) serving the 2000-block chain in {@code
 * ../shared/interop/ethereumjs/} on loopback, for tests that talk to a client we did not write.
 *
 * <p>{@link #start()} installs the client into a per-user cache on first use (npm), unpacks the
 * pre-imported data directory into a fresh temporary folder (the client writes to it), starts the
 * client with discovery off on free loopback ports, and waits for its enode and JSON-RPC. {@link
 * #close()} stops exactly that process (and its children) by its own process handle and deletes the
 * folder. Not thread-safe: one test class owns one node.
 */
final class EthereumJsNode implements AutoCloseable {

  static final String VERSION = "0.10.5";

  /** Genesis of the shared chain, as its README states. */
  static final String GENESIS_HASH =
      "0xb1ba43162fb2805cf948b1a355a3640c76bb2ab4ad6ad17a6224072d72357fab";

  /** Head of the shared chain (block 2000), as its README states. */
  static final String HEAD_HASH =
      "0xc40495c39559bfc401574c5c3a1adf6a1a31d96be1a20411beda0edcb58897a3";

  /** npm install takes ~15 s on a warm registry; a slow mirror may need far more. */
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(6);

  /** The client starts from the pre-imported data in about a second; allow for a loaded CI. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private static final Pattern ENODE = Pattern.compile("url=(enode://[0-9a-f]{128}@[^\\s]+)");

  private final Process process;
  private final Path workDir;
  private final Path log;
  private final String enode;
  private final JsonRpc rpc;

  private EthereumJsNode(Process process, Path workDir, Path log, String enode, int rpcPort) {
    this.process = process;
    this.workDir = workDir;
    this.log = log;
    this.enode = enode;
    this.rpc = new JsonRpc(rpcPort);
  }

  /** The shared interop folder; fails (never skips) when it is missing. */
  static Path sharedDir() {
    String root = System.getProperty("peerflow.root", ".");
    Path dir =
        Path.of(root)
            .toAbsolutePath()
            .normalize()
            .resolveSibling("shared")
            .resolve("interop")
            .resolve("ethereumjs");
    if (!Files.isRegularFile(dir.resolve("gennet.json"))) {
      throw new IllegalStateException(
          "interop data not found at " + dir + " (the repository expects ../shared beside it)");
    }
    return dir;
  }

  /** Starts a node; the caller closes it. */
  static EthereumJsNode start() throws IOException, InterruptedException {
    Path shared = sharedDir();
    Path cli = install();
    Path work = Files.createTempDirectory("peerflow-ethereumjs-");
    run(
        List.of(
            "tar",
            "xzf",
            shared.resolve("gennet-datadir.tar.gz").toString(),
            "-C",
            work.toString()),
        work,
        Duration.ofMinutes(1));
    int p2pPort = freePort();
    int rpcPort = freePort();
    Path log = work.resolve("client.log");
    ProcessBuilder pb =
        new ProcessBuilder(
                "node",
                cli.toString(),
                "--gethGenesis=" + shared.resolve("gennet.json"),
                "--dataDir=" + work,
                "--port=" + p2pPort,
                "--extIP=127.0.0.1",
                "--discDns=false",
                "--discV4=false",
                "--rpc",
                "--rpcAddr=127.0.0.1",
                "--rpcPort=" + rpcPort,
                "--logFile=false")
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Process process = pb.start();
    EthereumJsNode node = null;
    try {
      String enode = awaitEnode(process, log);
      node = new EthereumJsNode(process, work, log, enode, rpcPort);
      node.awaitRpc();
      return node;
    } finally {
      if (node == null) {
        stop(process);
        deleteTree(work);
      }
    }
  }

  /** The client's enode URL, with 127.0.0.1 as host. */
  String enode() {
    return enode;
  }

  /** The client's process id, for diagnostics. */
  long pid() {
    return process.pid();
  }

  /** One JSON-RPC call; returns {@code result} or fails with the call's error. */
  JsonNode rpc(String method, Object... params) throws IOException, InterruptedException {
    return rpc.call(method, params);
  }

  /** The client's output so far, for failure messages. */
  String logTail() {
    return LocalProcesses.tailOf(log);
  }

  @Override
  public void close() {
    stop(process);
    deleteTree(workDir);
  }

  private void awaitRpc() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("ethereumjs exited with " + process.exitValue() + ":\n" + logTail());
      }
      try {
        rpc("eth_blockNumber");
        return;
      } catch (IOException e) {
        last = e;
        Thread.sleep(200);
      }
    }
    throw new IOException("ethereumjs JSON-RPC did not answer in " + START_TIMEOUT, last);
  }

  private static String awaitEnode(Process process, Path log)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)) {
        Matcher m = ENODE.matcher(Files.readString(log, StandardCharsets.UTF_8));
        if (m.find()) {
          return m.group(1);
        }
      }
      if (!process.isAlive()) {
        throw new IOException(
            "ethereumjs exited with "
                + process.exitValue()
                + ":\n"
                + Files.readString(log, StandardCharsets.UTF_8));
      }
      Thread.sleep(100);
    }
    throw new IOException("ethereumjs did not report its enode within " + START_TIMEOUT);
  }

  /**
   * Installs the client into {@code ~/.cache/peerflow/ethereumjs-client-VERSION} unless it is there
   * already, under a file lock so parallel test JVMs do not install over each other.
   */
  private static Path install() throws IOException, InterruptedException {
    Path home =
        Path.of(
            System.getProperty("user.home"), ".cache", "peerflow", "ethereumjs-client-" + VERSION);
    Path cli = home.resolve("node_modules/@ethereumjs/client/dist/esm/bin/cli.js");
    Files.createDirectories(home);
    try (FileChannel ch =
            FileChannel.open(
                home.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = ch.lock()) {
      if (!Files.isRegularFile(cli)) {
        run(
            List.of(
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--no-save",
                "--prefix",
                home.toString(),
                "@ethereumjs/client@" + VERSION),
            home,
            INSTALL_TIMEOUT);
      }
    }
    if (!Files.isRegularFile(cli)) {
      throw new IOException("npm install finished but " + cli + " is missing");
    }
    return cli;
  }

  private static void run(List<String> command, Path dir, Duration timeout)
      throws IOException, InterruptedException {
    LocalProcesses.run(command, dir, Map.of(), timeout);
  }

  private static void stop(Process p) {
    LocalProcesses.stop(p);
  }

  private static int freePort() throws IOException {
    return LocalProcesses.freePort();
  }

  private static void deleteTree(Path dir) {
    LocalProcesses.deleteTree(dir);
  }
}
