package io.peerflow.cli;

import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.config.ChainConfig;
import io.peerflow.chain.source.ChainSource;
import io.peerflow.chain.source.LayeredSource;
import io.peerflow.cli.metrics.MetricsServer;
import io.peerflow.cli.metrics.NodeMetrics;
import io.peerflow.discovery.v4.Node;
import io.peerflow.discovery.v4.UdpDiscovery;
import io.peerflow.era.EraSource;
import io.peerflow.eth.EthNode;
import io.peerflow.eth.EthNodeConfig;
import io.peerflow.eth.Serving;
import io.peerflow.eth.ShapedServing;
import io.peerflow.eth.Shaping;
import io.peerflow.eth.forkid.ForkSchedule;
import io.peerflow.rlpx.Enode;
import io.peerflow.rlpx.LoopbackGuard;
import io.peerflow.rlpx.NodeKey;
import io.peerflow.rlpx.RlpxConfig;
import io.peerflow.store.ChainStore;
import io.peerflow.time.SystemTimer;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code peerflow serve}: serves the chain stored in a data directory over devp2p eth/68, 69 and 70
 * until interrupted, optionally shaped to a rate and a latency. One invocation per instance.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves the chain stored in DIR over devp2p (eth/68, 69, 70) and prints its enode URL.",
      "Runs until interrupted. --rate and --latency slow its answers down, to play a peer of a",
      "given bandwidth and distance in tests and benchmarks."
    })
public final class ServeCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--datadir",
      required = true,
      paramLabel = "DIR",
      description = "Data directory to serve.")
  Path datadir;

  @Option(
      names = "--listen",
      defaultValue = "127.0.0.1:30303",
      paramLabel = "HOST:PORT",
      description = "Where to accept peers (default: ${DEFAULT-VALUE}; port 0 picks a free one).")
  String listen;

  @Option(
      names = "--network",
      paramLabel = "NAME|FILE",
      description =
          "mainnet, sepolia, hoodi or a genesis JSON file (default: DIR/genesis.json if present,"
              + " else mainnet).")
  String network;

  @Option(
      names = "--rate",
      defaultValue = "0",
      paramLabel = "ITEMS/S",
      description =
          "Items (headers, bodies, receipt lists) served per second over all peers; 0 for no"
              + " limit.")
  double rate;

  @Option(
      names = "--latency",
      defaultValue = "0",
      paramLabel = "MS",
      description = "Delay added to every answer.")
  long latencyMillis;

  @Option(
      names = "--era",
      paramLabel = "DIR",
      description =
          "Also serve the blocks of the era1/ere files in DIR, read through their block indexes"
              + " without importing them (the store answers first).")
  Path era;

  @Option(
      names = "--discover",
      description =
          "Run discv4 on the listen address's UDP port, so others find this node; bootstrap from"
              + " --bootnode (else the --network's built-in bootnodes).")
  boolean discover;

  @Option(
      names = "--bootnode",
      paramLabel = "URL",
      description = "A discovery bootnode, enode:// or enr:; repeat for more.")
  List<String> bootnodes = new ArrayList<>();

  @Option(
      names = "--metrics",
      paramLabel = "HOST:PORT",
      description =
          "Serve Prometheus metrics at http://HOST:PORT/metrics (:PORT means 127.0.0.1:PORT).")
  String metrics;

  @Option(
      names = "--max-peers",
      defaultValue = "50",
      paramLabel = "N",
      description =
          "Inbound peers served at once (default: ${DEFAULT-VALUE}); besides, at most 8 connections"
              + " from one IP address and 16 handshakes in progress.")
  int maxPeers;

  @Override
  public Integer call() throws Exception {
    ChainConfig config = Networks.resolve(network, datadir);
    if (maxPeers < 1) {
      throw new IllegalArgumentException("--max-peers must be at least 1: " + maxPeers);
    }
    if (rate < 0 || latencyMillis < 0) {
      throw new IllegalArgumentException("--rate and --latency cannot be negative");
    }
    if (!Files.isDirectory(datadir)) {
      throw new IllegalArgumentException(
          "no data directory "
              + datadir
              + " (create one with generate, import or sync, or mkdir it to serve the genesis)");
    }
    PrintWriter out = spec.commandLine().getOut();
    Shaping shaping = new Shaping(rate, Duration.ofMillis(latencyMillis));
    try (ChainStore store = Datadir.openStore(datadir, config);
        EraSource archives = era == null ? null : EraSource.open(era, Networks.eraName(config));
        SystemTimer timer = new SystemTimer("peerflow-serve-timer")) {
      if (store.canonicalHash(0).isEmpty() && store.highestHeader().isEmpty()) {
        // A fresh directory still serves its chain's genesis, as any node of the network does.
        Datadir.storeGenesis(store, config);
      }
      StoreSource stored = new StoreSource(store, config);
      ChainSource source = archives == null ? stored : new LayeredSource(List.of(stored, archives));
      InetSocketAddress metricsAddress =
          metrics == null ? null : MetricsServer.parseAddress(metrics);
      NodeMetrics meters = metrics == null ? null : new NodeMetrics();
      EthNodeConfig.Builder builder =
          EthNodeConfig.builder(NodeKey.loadOrCreate(datadir), config)
              .source(source)
              .timer(timer)
              .limits(
                  new RlpxConfig.Limits(
                      maxPeers,
                      RlpxConfig.Limits.DEFAULT.maxOutboundPeers(),
                      RlpxConfig.Limits.DEFAULT.maxPeersPerIp(),
                      RlpxConfig.Limits.DEFAULT.maxPendingHandshakes()))
              .listen(Networks.address(listen));
      if (meters != null) {
        builder.rlpxObserver(meters).servingObserver(meters);
      }
      if (!shaping.equals(Shaping.NONE)) {
        // Only a node asked to play a slower peer answers through the shaping decorator.
        builder.serving(new ShapedServing(Serving.of(source), shaping, timer));
      }
      EthNode node = EthNode.start(builder.build());
      MetricsServer metricsServer;
      try {
        metricsServer = meters == null ? null : MetricsServer.start(metricsAddress, meters);
      } catch (RuntimeException e) {
        node.close();
        throw e;
      }
      CountDownLatch stop = new CountDownLatch(1);
      Thread hook =
          new Thread(
              () -> {
                node.close();
                if (metricsServer != null) {
                  metricsServer.close();
                }
                stop.countDown();
              },
              "peerflow-serve-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      out.printf(
          Locale.ROOT,
          "Serving %s blocks #%d..#%d (head %s)%n",
          config.name(),
          source.earliest(),
          source.head().number(),
          source.head().hash().toHex());
      if (metricsServer != null) {
        out.println("Metrics at " + metricsServer.url());
      }
      out.println(node.enode().orElseThrow());
      UdpDiscovery discovery = null;
      if (discover) {
        Enode self = node.enode().orElseThrow();
        BlockHeader head = source.head();
        discovery =
            UdpDiscovery.start(
                NodeKey.loadOrCreate(datadir),
                new InetSocketAddress(self.tcpAddress().getAddress(), self.tcpPort()),
                self.tcpPort(),
                Optional.of(ForkSchedule.of(config).forkId(head.number(), head.timestamp())),
                LoopbackGuard.ENVIRONMENT);
        out.println(discovery.record().text());
        List<Node> boot = PeerDiscovery.bootnodes(bootnodes, network);
        if (!boot.isEmpty()) {
          // In the background: serving does not wait for the bootnodes.
          discovery.engine().bootstrap(boot);
        }
      }
      out.flush();
      try {
        stop.await();
      } finally {
        if (discovery != null) {
          discovery.close();
        }
      }
    }
    return 0;
  }
}
