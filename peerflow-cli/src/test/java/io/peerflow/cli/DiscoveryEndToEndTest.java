package io.peerflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.config.ChainConfig;
import io.peerflow.discovery.v4.UdpDiscovery;
import io.peerflow.eth.EthNode;
import io.peerflow.eth.EthNodeConfig;
import io.peerflow.eth.forkid.ForkId;
import io.peerflow.eth.forkid.ForkSchedule;
import io.peerflow.rlpx.Enode;
import io.peerflow.rlpx.LoopbackGuard;
import io.peerflow.rlpx.NodeKey;
import io.peerflow.store.ChainStore;
import io.peerflow.testkit.Dnsmasq;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Peers found instead of given: eight serving nodes with discovery on loopback, each knowing one
 * bootnode, found by {@code sync --discover}; the same nodes published as a DNS list by {@code dns
 * sign}, served by dnsmasq and found by {@code sync --dns}.
 */
class DiscoveryEndToEndTest {

  static final long BLOCKS = 400;
  static final int NODES = 8;

  @TempDir static Path shared;
  static Path source;
  static ChainConfig config;
  static ChainStore store;
  static final List<EthNode> nodes = new ArrayList<>();
  static final List<UdpDiscovery> discoveries = new ArrayList<>();
  static UdpDiscovery foreign;

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

  @BeforeAll
  static void startNodes() throws Exception {
    source = shared.resolve("source");
    Result g =
        cli(
            "generate",
            "--blocks",
            String.valueOf(BLOCKS),
            "--txs",
            "5",
            "--datadir",
            source.toString());
    assertThat(g.code).as(g.err).isZero();
    config = ChainConfig.named(source.resolve("genesis.json").toString());
    store = Datadir.openStore(source, config);
    StoreSource chain = new StoreSource(store, config);
    BlockHeader head = chain.head();
    ForkId forkId = ForkSchedule.of(config).forkId(head.number(), head.timestamp());
    for (int i = 0; i < NODES; i++) {
      NodeKey key = NodeKey.generate();
      EthNode node =
          EthNode.start(
              EthNodeConfig.builder(key, config)
                  .clientId("peerflow-serve/" + i)
                  .source(chain)
                  .listen(new InetSocketAddress("127.0.0.1", 0))
                  .build());
      nodes.add(node);
      Enode self = node.enode().orElseThrow();
      UdpDiscovery d =
          UdpDiscovery.start(
              key,
              new InetSocketAddress("127.0.0.1", self.tcpPort()),
              self.tcpPort(),
              Optional.of(forkId),
              LoopbackGuard.ENVIRONMENT);
      discoveries.add(d);
    }
    // Each knows one bootnode: the first.
    var boot = io.peerflow.discovery.v4.Node.parse(discoveries.get(0).record().text());
    for (UdpDiscovery d : discoveries.subList(1, NODES)) {
      d.engine().bootstrap(List.of(boot)).get(30, TimeUnit.SECONDS);
    }
    // A node of another network, also known to the bootnode: it must never be dialled.
    foreign =
        UdpDiscovery.start(
            NodeKey.generate(),
            new InetSocketAddress("127.0.0.1", 0),
            1,
            Optional.of(new ForkId(0xdeadbeef, 0)),
            LoopbackGuard.ENVIRONMENT);
    foreign.engine().bootstrap(List.of(boot)).get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopNodes() {
    if (foreign != null) {
      foreign.close();
    }
    discoveries.forEach(UdpDiscovery::close);
    nodes.forEach(EthNode::close);
    if (store != null) {
      store.close();
    }
  }

  static Set<String> servingIds() {
    Set<String> ids = new HashSet<>();
    nodes.forEach(n -> ids.add(n.enode().orElseThrow().id().toHex()));
    return ids;
  }

  static void assertSyncedFromEveryNode(Result r, Path json) throws Exception {
    assertThat(r.code).as(r.out + r.err).isZero();
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertThat(report.get("blocks").asLong()).isEqualTo(BLOCKS);
    Set<String> ids = new HashSet<>();
    report.get("peers").forEach(p -> ids.add(p.get("id").asText()));
    assertThat(ids).isEqualTo(servingIds());
  }

  @Test
  void syncDiscoverFindsEveryNodeFromOneBootnodeAndNeverDialsAnotherNetwork(@TempDir Path dir)
      throws Exception {
    Result r =
        cli(
            "sync",
            "--discover",
            "--bootnode",
            discoveries.get(0).record().text(),
            "--discovery-listen",
            "127.0.0.1:0",
            "--network",
            source.resolve("genesis.json").toString(),
            "--datadir",
            dir.resolve("dst").toString(),
            "--quiet",
            "--json",
            dir.resolve("r.json").toString());
    assertSyncedFromEveryNode(r, dir.resolve("r.json"));
    assertThat(r.out).contains("Discovery: " + NODES + " peers of this network found");
    assertThat(r.err)
        .contains("not dialling " + foreign.record().nodeId().shortHex() + ": another network");
  }

  @Test
  void aListSignedByDnsSignAndServedByDnsmasqGivesEveryNode(@TempDir Path dir) throws Exception {
    Path keyFile = dir.resolve("list.key");
    NodeKey.generate().store(keyFile);
    List<String> args =
        new ArrayList<>(
            List.of("dns", "sign", "--key", keyFile.toString(), "--domain", "nodes.peerflow.test"));
    // Half by record, half by enode URL (whose record dns sign asks for over discv4).
    for (int i = 0; i < NODES; i++) {
      args.add(
          i % 2 == 0
              ? discoveries.get(i).record().text()
              : discoveries.get(i).record().toEnode().toString());
    }
    Result signed = cli(args.toArray(String[]::new));
    assertThat(signed.code).as(signed.err).isZero();
    List<String> lines = signed.out.lines().toList();
    String url = lines.get(0);
    assertThat(url).startsWith("enrtree://").endsWith("@nodes.peerflow.test");
    Map<String, String> txt = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      int space = line.indexOf(' ');
      txt.put(line.substring(0, space), line.substring(space + 1));
    }
    assertThat(txt.keySet()).allMatch(n -> n.endsWith("nodes.peerflow.test"));
    assertThat(txt.get("nodes.peerflow.test")).startsWith("enrtree-root:v1 e=");
    try (Dnsmasq dns = Dnsmasq.start(txt)) {
      Result r =
          cli(
              "sync",
              "--dns",
              url,
              "--dns-server",
              "127.0.0.1:" + dns.address().getPort(),
              "--network",
              source.resolve("genesis.json").toString(),
              "--datadir",
              dir.resolve("dst").toString(),
              "--quiet",
              "--json",
              dir.resolve("r.json").toString());
      assertSyncedFromEveryNode(r, dir.resolve("r.json"));
    }
    // A record changed in the served list is refused, and with no other source the sync fails.
    String someEntry =
        txt.keySet().stream()
            .filter(n -> !n.equals("nodes.peerflow.test"))
            .filter(n -> txt.get(n).startsWith("enr:"))
            .findFirst()
            .orElseThrow();
    txt.put(
        someEntry,
        discoveries.get(0).record().text().equals(txt.get(someEntry))
            ? discoveries.get(1).record().text()
            : discoveries.get(0).record().text());
    try (Dnsmasq dns = Dnsmasq.start(txt)) {
      Result r =
          cli(
              "sync",
              "--dns",
              url,
              "--dns-server",
              "127.0.0.1:" + dns.address().getPort(),
              "--network",
              source.resolve("genesis.json").toString(),
              "--datadir",
              dir.resolve("dst2").toString(),
              "--quiet");
      assertThat(r.err)
          .contains(
              "peerflow: DNS node list refused: nodes.peerflow.test: the entry at "
                  + someEntry
                  + " does not match its hash");
    }
    assertThat(Files.exists(keyFile)).isTrue();
  }

  @Test
  void aListSignedWithAnotherKeyIsRefusedWithAClearLine(@TempDir Path dir) throws Exception {
    Path keyFile = dir.resolve("list.key");
    NodeKey.generate().store(keyFile);
    Result signed =
        cli(
            "dns",
            "sign",
            "--key",
            keyFile.toString(),
            "--domain",
            "x.peerflow.test",
            discoveries.get(0).record().text());
    List<String> lines = signed.out.lines().toList();
    Map<String, String> txt = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      int space = line.indexOf(' ');
      txt.put(line.substring(0, space), line.substring(space + 1));
    }
    String forged =
        io.peerflow.discovery.dns.EnrTreeUrl.of(NodeKey.generate().id().bytes(), "x.peerflow.test")
            .toString();
    try (Dnsmasq dns = Dnsmasq.start(txt)) {
      Result r =
          cli(
              "sync",
              "--dns",
              forged,
              "--dns-server",
              "127.0.0.1:" + dns.address().getPort(),
              "--network",
              source.resolve("genesis.json").toString(),
              "--datadir",
              dir.resolve("dst").toString(),
              "--quiet");
      assertThat(r.code).isEqualTo(1);
      assertThat(r.err)
          .contains(
              "peerflow: DNS node list refused: x.peerflow.test: root signature does not match the"
                  + " list's public key");
    }
  }

  @Test
  void aPeerThatLeavesMidSyncIsReplacedFromTheCandidates(@TempDir Path dir) throws Exception {
    // Six slower nodes of their own, so the sync lasts long enough for one to leave during it.
    List<EthNode> own = new ArrayList<>();
    io.peerflow.time.SystemTimer shapingTimer = new io.peerflow.time.SystemTimer("shaping");
    List<UdpDiscovery> ownDiscovery = new ArrayList<>();
    StoreSource chain = new StoreSource(store, config);
    BlockHeader head = chain.head();
    ForkId forkId = ForkSchedule.of(config).forkId(head.number(), head.timestamp());
    java.util.concurrent.ScheduledExecutorService later =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    java.util.concurrent.atomic.AtomicReference<String> leaver =
        new java.util.concurrent.atomic.AtomicReference<>();
    try {
      for (int i = 0; i < 6; i++) {
        NodeKey key = NodeKey.generate();
        EthNode node =
            EthNode.start(
                EthNodeConfig.builder(key, config)
                    .clientId("peerflow-serve/slow" + i)
                    .source(chain)
                    .listen(new InetSocketAddress("127.0.0.1", 0))
                    .serving(
                        new io.peerflow.eth.ShapedServing(
                            io.peerflow.eth.Serving.of(chain),
                            new io.peerflow.eth.Shaping(100, java.time.Duration.ZERO),
                            shapingTimer))
                    .build());
        own.add(node);
        Enode self = node.enode().orElseThrow();
        ownDiscovery.add(
            UdpDiscovery.start(
                key,
                new InetSocketAddress("127.0.0.1", self.tcpPort()),
                self.tcpPort(),
                Optional.of(forkId),
                LoopbackGuard.ENVIRONMENT));
        // The first node to be synced from leaves a second after the syncer arrives.
        node.onPeer(
            p -> {
              if (leaver.compareAndSet(null, self.id().toHex())) {
                later.schedule(node::close, 1, TimeUnit.SECONDS);
              }
            });
      }
      var boot = io.peerflow.discovery.v4.Node.parse(ownDiscovery.get(0).record().text());
      for (UdpDiscovery d : ownDiscovery.subList(1, ownDiscovery.size())) {
        d.engine().bootstrap(List.of(boot)).get(30, TimeUnit.SECONDS);
      }
      Result r =
          cli(
              "sync",
              "--discover",
              "--bootnode",
              ownDiscovery.get(0).record().text(),
              "--discovery-listen",
              "127.0.0.1:0",
              "--max-peers",
              "3",
              "--network",
              source.resolve("genesis.json").toString(),
              "--datadir",
              dir.resolve("dst").toString(),
              "--quiet",
              "--json",
              dir.resolve("r.json").toString());
      assertThat(r.code).as(r.out + r.err).isZero();
      JsonNode report = new ObjectMapper().readTree(dir.resolve("r.json").toFile());
      assertThat(report.get("blocks").asLong()).isEqualTo(BLOCKS);
      List<String> ids = new ArrayList<>();
      Map<String, String> ended = new LinkedHashMap<>();
      report
          .get("peers")
          .forEach(
              p -> {
                String id = p.get("id").asText();
                ids.add(id);
                // The leaver either left between requests or was dropped with one in flight.
                String why =
                    p.has("left") ? p.get("left").asText() : p.path("dropped").asText("null");
                ended.put(id, why);
              });
      assertThat(ended.get(leaver.get())).as(report.toPrettyString()).contains("client quitting");
      // Three at a time, and at least one came in for the one that left.
      assertThat(ids).hasSizeGreaterThanOrEqualTo(4);
    } finally {
      later.shutdownNow();
      ownDiscovery.forEach(UdpDiscovery::close);
      own.forEach(EthNode::close);
      shapingTimer.close();
    }
  }

  @Test
  void serveDiscoverPrintsItsRecordAndIsFoundBySyncDiscover(@TempDir Path dir) throws Exception {
    Path served = dir.resolve("served");
    try (var w = Files.walk(source)) {
      for (Path p : w.toList()) {
        Path t = served.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else if (!p.getFileName().toString().equals("LOCK")) {
          Files.copy(p, t);
        }
      }
    }
    // The store of this class's nodes is open in this JVM, so the server runs in its own.
    Process serve =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                Peerflow.class.getName(),
                "serve",
                "--datadir",
                served.toString(),
                "--listen",
                "127.0.0.1:0",
                "--discover")
            .redirectErrorStream(true)
            .start();
    try {
      var r =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  serve.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
      String enode = null;
      String enr = null;
      // Up to the record, which comes last: reading on would wait for output that never comes.
      while (enr == null) {
        String line = r.readLine();
        if (line == null) {
          break;
        }
        if (line.startsWith("enode://")) {
          enode = line.trim();
        } else if (line.startsWith("enr:")) {
          enr = line.trim();
        }
      }
      assertThat(enr).as("serve --discover prints its record").isNotNull();
      Thread drain = new Thread(() -> r.lines().forEach(l -> {}));
      drain.setDaemon(true);
      drain.start();
      var record = io.peerflow.discovery.enr.Enr.parse(enr);
      assertThat(record.toEnode().toString()).isEqualTo(enode);
      StoreSource chain = new StoreSource(store, config);
      assertThat(record.ethForkId())
          .contains(
              ForkSchedule.of(config).forkId(chain.head().number(), chain.head().timestamp()));
      Result sync =
          cli(
              "sync",
              "--discover",
              "--bootnode",
              enr,
              "--discovery-listen",
              "127.0.0.1:0",
              "--network",
              source.resolve("genesis.json").toString(),
              "--datadir",
              dir.resolve("dst").toString(),
              "--quiet",
              "--json",
              dir.resolve("r.json").toString());
      assertThat(sync.code).as(sync.out + sync.err).isZero();
      JsonNode report = new ObjectMapper().readTree(dir.resolve("r.json").toFile());
      assertThat(report.get("blocks").asLong()).isEqualTo(BLOCKS);
      Set<String> ids = new HashSet<>();
      report.get("peers").forEach(p -> ids.add(p.get("id").asText()));
      assertThat(ids).contains(record.nodeId().toHex());
    } finally {
      serve.destroy();
      if (!serve.waitFor(20, TimeUnit.SECONDS)) {
        serve.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    assertThat(serve.isAlive()).isFalse();
  }
}
