package io.peerflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockBody;
import io.peerflow.chain.config.ChainConfig;
import io.peerflow.chain.source.ChainSource;
import io.peerflow.eth.EthNode;
import io.peerflow.eth.EthNodeConfig;
import io.peerflow.eth.Serving;
import io.peerflow.eth.ShapedServing;
import io.peerflow.eth.Shaping;
import io.peerflow.rlpx.Enode;
import io.peerflow.rlpx.NodeKey;
import io.peerflow.store.ChainStore;
import io.peerflow.store.Part;
import io.peerflow.testkit.FaultyLink;
import io.peerflow.time.SystemTimer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The main job end to end over loopback: generate a chain, serve it from separate processes, sync
 * it, and compare every stored block with the source; with a lying and a stalling peer; and with
 * the sync process killed (kill -9) mid-run and started again.
 */
class SyncEndToEndTest {

  static final long BLOCKS = 1200;
  @TempDir static Path shared;
  static Path source;
  static ChainConfig config;

  final List<Process> children = new ArrayList<>();
  final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeAll
  static void generate() throws Exception {
    source = shared.resolve("source");
    assertThat(
            cli(
                    "generate",
                    "--blocks",
                    String.valueOf(BLOCKS),
                    "--txs",
                    "20",
                    "--datadir",
                    source.toString())
                .code)
        .isZero();
    config = ChainConfig.named(source.resolve("genesis.json").toString());
  }

  /** Serving from {@code source} slowed by {@code shaping}, on a timer this test closes. */
  ShapedServing shaped(StoreSource source, Shaping shaping) {
    SystemTimer timer = new SystemTimer("shaped-serving");
    closeables.add(timer);
    return new ShapedServing(Serving.of(source), shaping, timer);
  }

  @AfterEach
  void stop() throws Exception {
    for (Process p : children) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      assertThat(p.isAlive()).isFalse();
    }
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  record Result(int code, String out, String err) {}

  static Result cli(String... args) {
    CommandLine cl = Peerflow.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  static Path copyOfSource(Path to) throws Exception {
    try (var w = Files.walk(source)) {
      for (Path p : w.toList()) {
        Path t = to.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else if (!p.getFileName().toString().equals("LOCK")) {
          Files.copy(p, t);
        }
      }
    }
    return to;
  }

  /** Starts {@code peerflow serve} in its own JVM and returns its enode. */
  String serveProcess(Path datadir, String... extra) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                Peerflow.class.getName(),
                "serve",
                "--datadir",
                datadir.toString(),
                "--listen",
                "127.0.0.1:0"));
    cmd.addAll(List.of(extra));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    children.add(p);
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = r.readLine()) != null) {
      if (line.startsWith("enode://")) {
        Thread drain = new Thread(() -> r.lines().forEach(l -> {}));
        drain.setDaemon(true);
        drain.start();
        return line.trim();
      }
    }
    throw new AssertionError("serve ended without printing its enode");
  }

  static void assertIdenticalToSource(Path datadir) {
    try (ChainStore src = ChainStore.open(source.resolve("chain"));
        ChainStore dst = ChainStore.open(datadir.resolve("chain"))) {
      for (long i = 1; i <= BLOCKS; i++) {
        final long n = i;
        assertThat(dst.header(n))
            .as("header %d", n)
            .hasValueSatisfying(v -> assertThat(v).isEqualTo(src.header(n).orElseThrow()));
        assertThat(dst.body(n))
            .as("body %d", n)
            .hasValueSatisfying(v -> assertThat(v).isEqualTo(src.body(n).orElseThrow()));
        assertThat(dst.receipts(n))
            .as("receipts %d", n)
            .hasValueSatisfying(v -> assertThat(v).isEqualTo(src.receipts(n).orElseThrow()));
      }
    }
  }

  static JsonNode json(Path file) throws Exception {
    return new ObjectMapper().readTree(file.toFile());
  }

  @Test
  void threeServeProcessesSyncedIntoAFreshStoreGiveIdenticalBlocks(@TempDir Path dir)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "sync",
                "--network",
                source.resolve("genesis.json").toString(),
                "--datadir",
                dir.resolve("dst").toString(),
                "--quiet",
                "--json",
                dir.resolve("r.json").toString()));
    for (int i = 0; i < 3; i++) {
      args.add("--peer");
      args.add(
          serveProcess(
              copyOfSource(dir.resolve("serve" + i)), "--rate", String.valueOf(2000 * (i + 1))));
    }
    Result r = cli(args.toArray(String[]::new));
    assertThat(r.code).as(r.err).isZero();
    assertIdenticalToSource(dir.resolve("dst"));
    JsonNode report = json(dir.resolve("r.json"));
    assertThat(report.get("to").asLong()).isEqualTo(BLOCKS);
    assertThat(report.get("blocks").asLong()).isEqualTo(BLOCKS);
    assertThat(report.get("peers")).hasSize(3);
    try (ChainStore src = ChainStore.open(source.resolve("chain"))) {
      assertThat(report.get("headHash").asText())
          .isEqualTo(src.canonicalHash(BLOCKS).orElseThrow().toHex());
    }
  }

  /** A source that hands out the body of the block before instead of the one asked for. */
  static final class LyingSource implements ChainSource {
    final StoreSource honest;
    final ChainStore store;

    LyingSource(ChainStore store) {
      this.store = store;
      this.honest = new StoreSource(store, config);
    }

    @Override
    public io.peerflow.chain.block.BlockHeader head() {
      return honest.head();
    }

    @Override
    public long earliest() {
      return honest.earliest();
    }

    @Override
    public Optional<byte[]> header(long number) {
      return honest.header(number);
    }

    @Override
    public OptionalLong number(Hash hash) {
      return honest.number(hash);
    }

    @Override
    public Optional<byte[]> receipts(Hash hash) {
      return honest.receipts(hash);
    }

    @Override
    public Optional<byte[]> body(Hash hash) {
      OptionalLong n = honest.number(hash);
      return n.isEmpty() || n.getAsLong() < 2 ? honest.body(hash) : store.body(n.getAsLong() - 1);
    }
  }

  @Test
  void aLyingAndAStallingPeerAreDroppedAndTheResultIsStillIdentical(@TempDir Path dir)
      throws Exception {
    ChainStore liarStore = ChainStore.open(copyOfSource(dir.resolve("liar")).resolve("chain"));
    closeables.add(liarStore);
    EthNode liar =
        EthNode.start(
            EthNodeConfig.builder(NodeKey.generate(), config)
                .source(new LyingSource(liarStore))
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .clientId("liar")
                .build());
    closeables.add(0, liar);
    ChainStore stallStore = ChainStore.open(copyOfSource(dir.resolve("staller")).resolve("chain"));
    closeables.add(stallStore);
    StoreSource stallSource = new StoreSource(stallStore, config);
    EthNode staller =
        EthNode.start(
            EthNodeConfig.builder(NodeKey.generate(), config)
                .source(stallSource)
                .serving(shaped(stallSource, new Shaping(0, LocalNetwork.STALL)))
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .clientId("staller")
                .build());
    closeables.add(0, staller);
    String honest = serveProcess(copyOfSource(dir.resolve("honest")), "--rate", "3000");
    Result r =
        cli(
            "sync",
            "--network",
            source.resolve("genesis.json").toString(),
            "--datadir",
            dir.resolve("dst").toString(),
            "--to",
            String.valueOf(BLOCKS),
            "--quiet",
            "--json",
            dir.resolve("r.json").toString(),
            "--peer",
            honest,
            "--peer",
            liar.enode().orElseThrow().toString(),
            "--peer",
            staller.enode().orElseThrow().toString());
    assertThat(r.code).as(r.err + r.out).isZero();
    assertIdenticalToSource(dir.resolve("dst"));
    JsonNode report = json(dir.resolve("r.json"));
    String liarId = liar.config().nodeKey().id().toHex();
    boolean liarDropped = false;
    for (JsonNode p : report.get("peers")) {
      if (p.get("id").asText().equals(liarId)) {
        liarDropped = !p.get("dropped").isNull();
      }
    }
    assertThat(liarDropped).as(report.toString()).isTrue();
  }

  @Test
  void
      aPeerWhoseStreamIsDamagedMidSyncIsReportedWithTheTransportsReasonAndTheResultIsStillIdentical(
          @TempDir Path dir) throws Exception {
    ChainStore store = ChainStore.open(copyOfSource(dir.resolve("damaged")).resolve("chain"));
    closeables.add(store);
    StoreSource damagedSource = new StoreSource(store, config);
    EthNode damaged =
        EthNode.start(
            EthNodeConfig.builder(NodeKey.generate(), config)
                .source(damagedSource)
                .serving(shaped(damagedSource, new Shaping(3000, Duration.ZERO)))
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .build());
    closeables.add(0, damaged);
    Enode served = damaged.enode().orElseThrow();
    FaultyLink link = new FaultyLink(served.tcpAddress());
    closeables.add(0, link);
    // Far past the handshake, Hello and Status, early in this peer's megabytes of answers.
    link.corrupt(FaultyLink.Direction.TO_DIALLER, 200_000, 0x20);
    String honest = serveProcess(copyOfSource(dir.resolve("honest")), "--rate", "3000");
    Result r =
        cli(
            "sync",
            "--network",
            source.resolve("genesis.json").toString(),
            "--datadir",
            dir.resolve("dst").toString(),
            "--to",
            String.valueOf(BLOCKS),
            "--quiet",
            "--json",
            dir.resolve("r.json").toString(),
            "--peer",
            honest,
            "--peer",
            new Enode(served.id(), "127.0.0.1", link.port()).toString());
    assertThat(r.code).as(r.err + r.out).isZero();
    assertIdenticalToSource(dir.resolve("dst"));
    JsonNode report = json(dir.resolve("r.json"));
    JsonNode gone = null;
    for (JsonNode p : report.get("peers")) {
      if (p.get("id").asText().equals(served.id().toHex())) {
        gone = p;
      }
    }
    assertThat(gone).as(report.toString()).isNotNull();
    // With requests in flight the scheduler sees them fail and drops the peer ("request failed:
    // ..."); an idle peer is reported as left. Either way the transport's words reach the report.
    String why =
        gone.get("dropped").isNull() ? gone.get("left").asText() : gone.get("dropped").asText();
    assertThat(why).contains("disconnected: breach of protocol").contains("MAC mismatch");
    assertThat(gone.get("items").asLong()).isPositive();
  }

  @Test
  void aSyncKilledMidRunResumesAndFetchesNothingItHadStored(@TempDir Path dir) throws Exception {
    // 300 items a second: the 3,600 items of the range take twelve seconds, so the progress line
    // the child prints after five has stored some bodies but not all of them.
    String peer = serveProcess(copyOfSource(dir.resolve("serve")), "--rate", "300");
    Path dst = dir.resolve("dst");
    Process sync =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                Peerflow.class.getName(),
                "sync",
                "--network",
                source.resolve("genesis.json").toString(),
                "--datadir",
                dst.toString(),
                "--to",
                String.valueOf(BLOCKS),
                "--peer",
                peer)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("sync.log").toFile())
            .start();
    children.add(sync);
    // Kill it partway, once it says it has stored some bodies: a loaded machine only delays that.
    long shown = awaitBodiesStored(sync, dir.resolve("sync.log"), Duration.ofSeconds(120));
    sync.destroyForcibly();
    assertThat(sync.waitFor(10, TimeUnit.SECONDS)).isTrue();
    long storedBodies;
    try (ChainStore s = ChainStore.open(dst.resolve("chain"))) {
      storedBodies = BLOCKS - s.countMissing(Part.BODIES, 1, BLOCKS);
      // Whatever is stored is whole and right: every stored body matches its stored header.
      for (long n = 1; n <= BLOCKS; n++) {
        if (s.hasBody(n)) {
          var h = io.peerflow.chain.block.BlockHeader.decode(s.header(n).orElseThrow());
          assertThat(BlockBody.decode(s.body(n).orElseThrow()).mismatch(h)).isEmpty();
        }
      }
    }
    assertThat(storedBodies)
        .as(Files.readString(dir.resolve("sync.log")))
        .isBetween(shown, BLOCKS - 1);
    Result r =
        cli(
            "sync",
            "--network",
            source.resolve("genesis.json").toString(),
            "--datadir",
            dst.toString(),
            "--to",
            String.valueOf(BLOCKS),
            "--peer",
            peer,
            "--quiet",
            "--json",
            dir.resolve("r.json").toString());
    assertThat(r.code).as(r.err).isZero();
    assertIdenticalToSource(dst);
    JsonNode report = json(dir.resolve("r.json"));
    assertThat(report.get("fetched").get("bodies").asLong()).isEqualTo(BLOCKS - storedBodies);
  }

  /** A progress line of a piped sync: "[ 5.0s] headers 1200/1200 (0/s) bodies 310/1200 ...". */
  static final Pattern BODIES_PROGRESS = Pattern.compile("\\] .*\\bbodies (\\d+)/(\\d+)");

  /**
   * Waits until the child sync's log shows a progress line with some but not all bodies stored, and
   * returns how many; fails if the child ends first, shows every body stored, or the time runs out.
   */
  static long awaitBodiesStored(Process child, Path log, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String text = Files.exists(log) ? Files.readString(log) : "";
      Matcher m = BODIES_PROGRESS.matcher(text);
      while (m.find()) {
        long stored = Long.parseLong(m.group(1));
        assertThat(stored).as("bodies stored before the kill; log:%n%s", text).isLessThan(BLOCKS);
        if (stored > 0) {
          return stored;
        }
      }
      assertThat(child.isAlive()).as("the sync still runs; log:%n%s", text).isTrue();
      // Polling a file for the child's next line; the deadline bounds the wait.
      Thread.sleep(50);
    }
    throw new AssertionError(
        "no progress line with bodies stored within " + timeout + ":\n" + Files.readString(log));
  }

  @Test
  void aChainImportedFromTheSharedBlockFileIsServedAndSyncedBlockForBlock(@TempDir Path dir)
      throws Exception {
    Path shared =
        Path.of(System.getProperty("peerflow.root", ".")).resolve("../shared/interop/ethereumjs");
    String genesis = shared.resolve("gennet.json").toString();
    Path imported = dir.resolve("imported");
    Result imp =
        cli(
            "import",
            "--rlp",
            shared.resolve("gennet-2000.rlp").toString(),
            "--datadir",
            imported.toString(),
            "--network",
            genesis);
    assertThat(imp.code).as(imp.err).isZero();
    assertThat(imp.out)
        .contains("Imported blocks #1..#2000")
        .contains("16,001 transactions")
        .contains("0xc40495c39559bfc401574c5c3a1adf6a1a31d96be1a20411beda0edcb58897a3");
    String peer = serveProcess(imported, "--network", genesis);
    Result r =
        cli(
            "sync",
            "--peer",
            peer,
            "--network",
            genesis,
            "--parts",
            "headers,bodies",
            "--datadir",
            dir.resolve("dst").toString(),
            "--quiet");
    assertThat(r.code).as(r.err).isZero();
    assertThat(r.out).contains("Synced blocks #1..#2000");
    for (Process p : children) {
      // serve stops cleanly on SIGTERM and lets go of its store.
      p.destroy();
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
    try (ChainStore src = ChainStore.open(imported.resolve("chain"));
        ChainStore dst = ChainStore.open(dir.resolve("dst").resolve("chain"))) {
      for (long i = 0; i <= 2000; i++) {
        final long n = i;
        assertThat(dst.header(n))
            .hasValueSatisfying(v -> assertThat(v).isEqualTo(src.header(n).orElseThrow()));
        assertThat(dst.body(n))
            .hasValueSatisfying(v -> assertThat(v).isEqualTo(src.body(n).orElseThrow()));
      }
    }
  }

  @Test
  void importingIntoADirectoryOfAnotherChainIsRefusedAndKeepsItsBlocks(@TempDir Path dir)
      throws Exception {
    Path shared =
        Path.of(System.getProperty("peerflow.root", ".")).resolve("../shared/interop/ethereumjs");
    Path mine = copyOfSource(dir.resolve("mine"));
    Result imp =
        cli(
            "import",
            "--rlp",
            shared.resolve("gennet-2000.rlp").toString(),
            "--datadir",
            mine.toString(),
            "--network",
            shared.resolve("gennet.json").toString());
    assertThat(imp.code).isEqualTo(2);
    assertThat(imp.err).contains("holds the chain with genesis");
    try (ChainStore s = ChainStore.open(mine.resolve("chain"))) {
      assertThat(s.highestHeader()).hasValue(BLOCKS);
    }
  }

  @Test
  void badInputIsOneClearLineAndANonZeroExit() {
    Result r = cli("sync", "--peer", "enode://nothex@127.0.0.1:1");
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err.strip().lines()).hasSize(1);
    r = cli("sync", "--parts", "headers,logs", "--peer", "x");
    assertThat(r.code).isEqualTo(2);
    r = cli("serve", "--datadir", shared.resolve("nothing").toString());
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err).contains("no data directory");
  }

  @Test
  void anUnreachablePeerIsSkippedWithAReasonAndNoPeerAtAllFails(@TempDir Path dir) {
    String nobody = "enode://" + NodeKey.generate().id().toHex() + "@127.0.0.1:1";
    Result r =
        cli(
            "sync",
            "--peer",
            nobody,
            "--network",
            source.resolve("genesis.json").toString(),
            "--datadir",
            dir.toString(),
            "--quiet");
    assertThat(r.code).isEqualTo(1);
    assertThat(r.err).contains("skipping peer 127.0.0.1:1").contains("no peer could be reached");
  }

  @Test
  void aPeerOfAnotherNetworkIsSkippedWithBothNetworksNamed(@TempDir Path dir) throws Exception {
    String peer = serveProcess(copyOfSource(dir.resolve("serve")));
    Path shared =
        Path.of(System.getProperty("peerflow.root", ".")).resolve("../shared/interop/ethereumjs");
    Result r =
        cli(
            "sync",
            "--peer",
            peer,
            "--network",
            shared.resolve("gennet.json").toString(),
            "--datadir",
            dir.resolve("dst").toString(),
            "--quiet");
    assertThat(r.code).isEqualTo(1);
    assertThat(r.err).contains("network mismatch").contains("1337000").contains("1337");
  }
}
