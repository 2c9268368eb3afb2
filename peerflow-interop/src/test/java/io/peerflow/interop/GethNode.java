package io.peerflow.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerflow.testkit.GoEthereum;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real go-ethereum node (v1.17.10, built from the Go module proxy) serving a chain on loopback,
 * for tests that talk to the client most of the network runs.
 *
 * <p>{@link #install()} builds {@code geth} and {@code devp2p} once per machine into {@code
 * ~/.cache/peerflow/go-ethereum-v1.17.10/bin} ({@code go install}, a few minutes on two cores).
 * {@link #prepare} initialises a data directory from a genesis file and imports a chain file into
 * it ({@code geth init}, {@code geth import}); {@link #start} copies such a directory (so several
 * nodes share one import, each with its own node key) and starts geth on it bound to 127.0.0.1
 * only: the listening address in a TOML config (its {@code --port} flag would bind every
 * interface), no discovery, no NAT, peers restricted to 127.0.0.0/8, HTTP and auth RPC on free
 * loopback ports. {@link #close()} stops exactly that process by its own handle and deletes its
 * folder. Not thread-safe: one test owns one node.
 */
final class GethNode implements AutoCloseable {

  static final String VERSION = GoEthereum.VERSION;

  /** The module is in the cache once the tools are built; the proxy answers within seconds. */
  private static final Duration MODULE_DOWNLOAD_TIMEOUT = Duration.ofMinutes(5);

  /** {@code geth import} of the 600-block test chain takes about 10 s; allow for a loaded CI. */
  private static final Duration IMPORT_TIMEOUT = Duration.ofMinutes(5);

  /** geth opens its database and starts P2P and RPC within seconds. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  /** geth's start-up line naming its enode; the query part ({@code ?discport=0}) is dropped. */
  private static final Pattern ENODE = Pattern.compile("(enode://[0-9a-f]{128}@[0-9.]+:[0-9]+)");

  private final Process process;
  private final Path dataDir;
  private final Path log;
  private final String enode;
  private final JsonRpc rpc;

  private GethNode(Process process, Path dataDir, Path log, String enode, int rpcPort) {
    this.process = process;
    this.dataDir = dataDir;
    this.log = log;
    this.enode = enode;
    this.rpc = new JsonRpc(rpcPort);
  }

  /** {@code ~/.cache/peerflow/go-ethereum-VERSION/bin}, where the tools are installed. */
  static Path binDir() {
    return GoEthereum.binDir();
  }

  /** Builds geth and devp2p into {@link #binDir()} unless both are there. */
  static void install() throws IOException, InterruptedException {
    GoEthereum.install();
  }

  /** The geth executable, installed on first use. */
  static Path geth() throws IOException, InterruptedException {
    return GoEthereum.geth();
  }

  /** The devp2p executable (go-ethereum's conformance suite), installed on first use. */
  static Path devp2p() throws IOException, InterruptedException {
    return GoEthereum.devp2p();
  }

  /**
   * The conformance suite's test data inside the go-ethereum module ({@code go mod download} names
   * its folder; {@link #install()} has fetched the module already).
   */
  static Path moduleTestData() throws IOException, InterruptedException {
    install();
    String json =
        LocalProcesses.run(
            List.of("go", "mod", "download", "-json", "github.com/ethereum/go-ethereum@" + VERSION),
            binDir(),
            Map.of(),
            MODULE_DOWNLOAD_TIMEOUT);
    String dir = new ObjectMapper().readTree(json).get("Dir").asText();
    return Path.of(dir, "cmd", "devp2p", "internal", "ethtest", "testdata");
  }

  /**
   * A fresh geth data directory under {@code parent} holding {@code genesis} and, if not null, the
   * blocks of {@code chainRlp} (concatenated block RLP, as {@code geth export} writes).
   */
  static Path prepare(Path parent, Path genesis, Path chainRlp)
      throws IOException, InterruptedException {
    Path geth = geth();
    Path dir = Files.createTempDirectory(parent, "geth-template-");
    LocalProcesses.run(
        List.of(geth.toString(), "--datadir", dir.toString(), "init", genesis.toString()),
        dir,
        Map.of(),
        IMPORT_TIMEOUT);
    if (chainRlp != null) {
      LocalProcesses.run(
          List.of(
              geth.toString(),
              "--datadir",
              dir.toString(),
              "--nodiscover",
              "--nat",
              "none",
              "--ipcdisable",
              "import",
              chainRlp.toString()),
          dir,
          Map.of(),
          IMPORT_TIMEOUT);
    }
    return dir;
  }

  /**
   * Starts geth on a copy of {@code template} (made by {@link #prepare}) in a new folder under
   * {@code parent}; the caller closes it.
   */
  static GethNode start(Path parent, Path template) throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(parent, template);
      } catch (PortTakenException e) {
        // A free port found by binding and releasing it may be taken by another process before
        // geth binds it; new ports next time.
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  /** geth could not bind a port chosen for it. */
  static final class PortTakenException extends IOException {
    private static final long serialVersionUID = 1L;

    PortTakenException(String message) {
      super(message);
    }
  }

  private static GethNode startOnce(Path parent, Path template)
      throws IOException, InterruptedException {
    Path geth = geth();
    Path dir = Files.createTempDirectory(parent, "geth-");
    copyTree(template, dir);
    // A copied node key would give every copy the same identity.
    Files.deleteIfExists(dir.resolve("geth").resolve("nodekey"));
    int p2pPort = LocalProcesses.freePort();
    int httpPort = LocalProcesses.freePort();
    int authPort = LocalProcesses.freePort();
    Path config = dir.resolve("loopback.toml");
    Files.writeString(
        config, "[Node.P2P]\nListenAddr = \"127.0.0.1:" + p2pPort + "\"\n", StandardCharsets.UTF_8);
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    Path jwt = dir.resolve("jwt.hex");
    Files.writeString(jwt, HexFormat.of().formatHex(secret), StandardCharsets.US_ASCII);
    Path log = dir.resolve("geth.log");
    Process process =
        new ProcessBuilder(
                geth.toString(),
                "--config",
                config.toString(),
                "--datadir",
                dir.toString(),
                "--nodiscover",
                "--nat",
                "none",
                "--netrestrict",
                "127.0.0.0/8",
                "--ipcdisable",
                "--http",
                "--http.addr",
                "127.0.0.1",
                "--http.port",
                Integer.toString(httpPort),
                "--http.api",
                "eth,net,admin,web3,txpool",
                "--authrpc.addr",
                "127.0.0.1",
                "--authrpc.port",
                Integer.toString(authPort),
                "--authrpc.jwtsecret",
                jwt.toString(),
                "--syncmode",
                "full")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    GethNode node = null;
    try {
      String enode = awaitEnode(process, log);
      node = new GethNode(process, dir, log, enode, httpPort);
      node.awaitRpc();
      return node;
    } finally {
      if (node == null) {
        LocalProcesses.stop(process);
        LocalProcesses.deleteTree(dir);
      }
    }
  }

  /** geth's enode URL (host 127.0.0.1). */
  String enode() {
    return enode;
  }

  /** geth's process id, for diagnostics. */
  long pid() {
    return process.pid();
  }

  /** Whether the process still runs. */
  boolean isAlive() {
    return process.isAlive();
  }

  /** One JSON-RPC call; returns {@code result} or fails with the call's error. */
  JsonNode rpc(String method, Object... params) throws IOException, InterruptedException {
    return rpc.call(method, params);
  }

  /** geth's output so far, for failure messages. */
  String logTail() {
    return LocalProcesses.tailOf(log);
  }

  /** geth's whole log, to look for what it said about a peer. */
  String log() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    LocalProcesses.stop(process);
    LocalProcesses.deleteTree(dataDir);
  }

  private void awaitRpc() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("geth exited with " + process.exitValue() + ":\n" + logTail());
      }
      try {
        rpc("eth_blockNumber");
        return;
      } catch (IOException e) {
        last = e;
        Thread.sleep(200);
      }
    }
    throw new IOException("geth's JSON-RPC did not answer in " + START_TIMEOUT, last);
  }

  private static String awaitEnode(Process process, Path log)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)) {
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
          if (line.contains("Started P2P networking")) {
            Matcher m = ENODE.matcher(line);
            if (m.find()) {
              return m.group(1);
            }
          }
        }
      }
      if (!process.isAlive()) {
        String tail = LocalProcesses.tailOf(log);
        String message = "geth exited with " + process.exitValue() + ":\n" + tail;
        throw tail.contains("address already in use")
            ? new PortTakenException(message)
            : new IOException(message);
      }
      Thread.sleep(100);
    }
    throw new IOException("geth did not report its enode within " + START_TIMEOUT);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
