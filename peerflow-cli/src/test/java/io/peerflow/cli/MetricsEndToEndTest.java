package io.peerflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.chain.config.ChainConfig;
import io.peerflow.cli.metrics.MetricsServer;
import io.peerflow.cli.metrics.NodeMetrics;
import io.peerflow.eth.EthNode;
import io.peerflow.eth.EthNodeConfig;
import io.peerflow.eth.EthPeer;
import io.peerflow.fetch.PeerDropper;
import io.peerflow.peers.PeerSet;
import io.peerflow.rlpx.Enode;
import io.peerflow.rlpx.NodeKey;
import io.peerflow.store.ChainStore;
import io.peerflow.sync.ChainSync;
import io.peerflow.time.SystemTimer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Metrics end to end over loopback: {@code peerflow serve --metrics} in its own JVM, a sync from it
 * that keeps metrics of its own, and both scraped over HTTP; then {@code peerflow sync --metrics}
 * from the same server.
 */
class MetricsEndToEndTest {

  static final long BLOCKS = 300;

  /** Every metric family a node exposes once it has served, synced and seen both kinds of end. */
  static final Set<String> FAMILIES =
      Set.of(
          "peerflow_peers_connected",
          "peerflow_received_bytes_total",
          "peerflow_served_requests_total",
          "peerflow_served_items_total",
          "peerflow_served_bytes_total",
          "peerflow_fetched_items_total",
          "peerflow_peer_drops_total",
          "peerflow_peer_disconnects_total",
          "peerflow_handshake_failures_total",
          "peerflow_jvm_memory_used_bytes",
          "peerflow_jvm_memory_committed_bytes",
          "peerflow_jvm_memory_max_bytes",
          "peerflow_jvm_buffer_count_buffers",
          "peerflow_jvm_buffer_memory_used_bytes",
          "peerflow_jvm_buffer_total_capacity_bytes");

  /** How long a test waits for an effect it caused; ample on a loaded machine. */
  static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir static Path shared;
  static Path source;
  static ChainConfig config;

  final List<Process> children = new ArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void generate() {
    source = shared.resolve("source");
    assertThat(
            cli(
                    "generate",
                    "--blocks",
                    String.valueOf(BLOCKS),
                    "--txs",
                    "5",
                    "--datadir",
                    source.toString())
                .code)
        .isZero();
    config = ChainConfig.named(source.resolve("genesis.json").toString());
  }

  @AfterEach
  void stop() throws Exception {
    for (Process p : children) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      assertThat(p.isAlive()).isFalse();
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

  /** A running {@code peerflow serve}: its enode and its metrics URL. */
  record Served(String enode, String metrics) {}

  Served serveProcess(Path datadir) throws Exception {
    List<String> cmd =
        List.of(
            ProcessHandle.current().info().command().orElse("java"),
            "-cp",
            System.getProperty("java.class.path"),
            Peerflow.class.getName(),
            "serve",
            "--datadir",
            datadir.toString(),
            "--listen",
            "127.0.0.1:0",
            "--metrics",
            "127.0.0.1:0");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    children.add(p);
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String metrics = null;
    String line;
    while ((line = r.readLine()) != null) {
      if (line.startsWith("Metrics at ")) {
        metrics = line.substring("Metrics at ".length()).trim();
      }
      if (line.startsWith("enode://")) {
        Thread drain = new Thread(() -> r.lines().forEach(l -> {}));
        drain.setDaemon(true);
        drain.start();
        assertThat(metrics).as("the metrics line comes before the enode").isNotNull();
        return new Served(line.trim(), metrics);
      }
    }
    throw new AssertionError("serve ended without printing its enode");
  }

  String scrape(String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(PATIENCE).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
    return r.body();
  }

  /** Scrapes until {@code ready} holds for the samples, or fails after {@link #PATIENCE}. */
  Map<String, Double> scrapeUntil(String url, Predicate<Map<String, Double>> ready)
      throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      String text = scrape(url);
      Map<String, Double> samples = samples(text);
      if (ready.test(samples)) {
        return samples;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the scrape never got there:\n" + text);
      }
      Thread.sleep(100); // polling for an effect, not waiting for one: the deadline bounds it
    }
  }

  static final Pattern SAMPLE = Pattern.compile("^([a-z_]+(?:\\{[^}]*\\})?) (\\S+)$");
  static final Pattern TYPE = Pattern.compile("^# TYPE ([a-z_]+) ");

  /** Each sample line as {@code name{labels}} to its value. */
  static Map<String, Double> samples(String text) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (m.matches()) {
        out.put(m.group(1), Double.parseDouble(m.group(2)));
      }
    }
    return out;
  }

  /** The families named in {@code # TYPE} lines. */
  static Set<String> families(String text) {
    Set<String> out = new TreeSet<>();
    for (String line : text.split("\n")) {
      Matcher m = TYPE.matcher(line);
      if (m.find()) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  static double value(Map<String, Double> samples, String key) {
    Double v = samples.get(key);
    assertThat(v).as("sample %s in %s", key, samples.keySet()).isNotNull();
    return v;
  }

  @Test
  void servedAndFetchedCountersEqualTheBlocksSyncedAndDisconnectsShowTheirReason(@TempDir Path dir)
      throws Exception {
    Served serve = serveProcess(source);
    Enode enode = Enode.parse(serve.enode());

    // A connection that ends before its handshake does: counted as a handshake failure.
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", enode.tcpPort()));
    }
    scrapeUntil(
        serve.metrics(),
        m -> m.containsKey("peerflow_handshake_failures_total{reason=\"tcp_error\"}"));

    NodeMetrics meters = new NodeMetrics();
    Path dst = dir.resolve("dst");
    try (ChainStore store = Datadir.openStore(dst, config);
        SystemTimer timer = new SystemTimer("metrics-test-sync");
        MetricsServer server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0), meters)) {
      Datadir.storeGenesis(store, config);
      EthNode node =
          EthNode.start(
              EthNodeConfig.builder(NodeKey.generate(), config)
                  .rlpxObserver(meters)
                  .servingObserver(meters)
                  .build());
      try {
        EthPeer peer = node.dial(enode).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        PeerSet peers = new PeerSet(timer.clock());
        peers.register(peer, peer.version());
        ChainSync sync =
            ChainSync.builder(peers, store, timer)
                .range(1, BLOCKS)
                .dropper(meters.countingDrops(PeerDropper.none()))
                .build();
        meters.watch(sync);
        sync.start().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

        Map<String, Double> fetched = samples(scrape(server.url()));
        for (String part : List.of("headers", "bodies", "receipts")) {
          assertThat(value(fetched, "peerflow_fetched_items_total{part=\"" + part + "\"}"))
              .as(part)
              .isEqualTo((double) BLOCKS);
        }
        assertThat(value(fetched, "peerflow_peers_connected")).isEqualTo(1);
        assertThat(value(fetched, "peerflow_received_bytes_total")).isPositive();
        assertThat(value(fetched, "peerflow_peer_drops_total{reason=\"stalling\"}")).isZero();

        Map<String, Double> served =
            scrapeUntil(
                serve.metrics(),
                m ->
                    m.getOrDefault("peerflow_served_items_total{kind=\"receipts\"}", 0.0)
                        >= BLOCKS);
        assertThat(value(served, "peerflow_peers_connected")).isEqualTo(1);
        assertThat(value(served, "peerflow_served_items_total{kind=\"bodies\"}"))
            .isEqualTo((double) BLOCKS);
        assertThat(value(served, "peerflow_served_items_total{kind=\"receipts\"}"))
            .isEqualTo((double) BLOCKS);
        // The anchor's header, asked for first, is the range's top and not asked for again.
        assertThat(value(served, "peerflow_served_items_total{kind=\"headers\"}"))
            .isEqualTo((double) BLOCKS);
        assertThat(value(served, "peerflow_served_requests_total{kind=\"bodies\"}")).isPositive();
        assertThat(value(served, "peerflow_served_bytes_total{kind=\"receipts\"}")).isPositive();
      } finally {
        node.close();
      }

      // We quit: both sides count the session's end under that reason, each from its side.
      Map<String, Double> local = samples(scrape(server.url()));
      assertThat(
              value(
                  local,
                  "peerflow_peer_disconnects_total{by=\"local\",reason=\"client_quitting\"}"))
          .isEqualTo(1);
      assertThat(value(local, "peerflow_peers_connected")).isZero();
      assertThat(families(scrape(server.url())))
          .containsAll(FAMILIES.stream().filter(f -> !f.startsWith("peerflow_handshake")).toList());
    }
    String text = scrape(serve.metrics());
    Map<String, Double> remote =
        scrapeUntil(
            serve.metrics(),
            m ->
                m.containsKey(
                    "peerflow_peer_disconnects_total{by=\"remote\",reason=\"client_quitting\"}"));
    assertThat(value(remote, "peerflow_peers_connected")).isZero();
    assertThat(families(scrape(serve.metrics())))
        .as(text)
        .containsExactlyInAnyOrderElementsOf(FAMILIES);

    // The sync command's own flag: it serves its metrics while it runs and says where.
    Result r =
        cli(
            "sync",
            "--network",
            source.resolve("genesis.json").toString(),
            "--datadir",
            dir.resolve("dst2").toString(),
            "--quiet",
            "--peer",
            serve.enode(),
            "--metrics",
            ":0");
    assertThat(r.code).as(r.err).isZero();
    assertThat(r.out).containsPattern("Metrics at http://127\\.0\\.0\\.1:\\d+/metrics");
    Map<String, Double> twice =
        scrapeUntil(
            serve.metrics(),
            m -> m.getOrDefault("peerflow_served_items_total{kind=\"bodies\"}", 0.0) >= 2 * BLOCKS);
    assertThat(value(twice, "peerflow_served_items_total{kind=\"bodies\"}"))
        .isEqualTo(2.0 * BLOCKS);
  }
}
