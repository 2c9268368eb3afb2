package io.peerflow.cli;

import io.peerflow.chain.config.ChainConfig;
import io.peerflow.cli.metrics.MetricsServer;
import io.peerflow.cli.metrics.NodeMetrics;
import io.peerflow.eth.EthNode;
import io.peerflow.eth.EthNodeConfig;
import io.peerflow.eth.Serving;
import io.peerflow.eth.ShapedServing;
import io.peerflow.eth.Shaping;
import io.peerflow.rlpx.NodeKey;
import io.peerflow.store.ChainStore;
import io.peerflow.time.SystemTimer;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code peerflow serve}: serves the chain stored in a data directory over devp2p eth/68 and eth/69
 * until interrupted, optionally shaped to a rate and a latency. One invocation per instance.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves the chain stored in DIR over devp2p (eth/68, eth/69) and prints its enode URL.",
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
          "mainnet, sepolia, hoodi or a genesis JSON file (default: DIR/genesis.json if present, else mainnet).")
  String network;

  @Option(
      names = "--rate",
      defaultValue = "0",
      paramLabel = "ITEMS/S",
      description =
          "Items (headers, bodies, receipt lists) served per second over all peers; 0 for no limit.")
  double rate;

  @Option(
      names = "--latency",
      defaultValue = "0",
      paramLabel = "MS",
      description = "Delay added to every answer.")
  long latencyMillis;

  @Option(
      names = "--metrics",
      paramLabel = "HOST:PORT",
      description =
          "Serve Prometheus metrics at http://HOST:PORT/metrics (:PORT means 127.0.0.1:PORT).")
  String metrics;

  @Override
  public Integer call() throws Exception {
    ChainConfig config = Networks.resolve(network, datadir);
    if (rate < 0 || latencyMillis < 0) {
      throw new IllegalArgumentException("--rate and --latency cannot be negative");
    }
    if (!Files.isDirectory(datadir.resolve("chain"))) {
      throw new IllegalArgumentException(
          "no chain in " + datadir + " (create one with generate, import or sync)");
    }
    PrintWriter out = spec.commandLine().getOut();
    Shaping shaping = new Shaping(rate, Duration.ofMillis(latencyMillis));
    try (ChainStore store = Datadir.openStore(datadir, config);
        SystemTimer timer = new SystemTimer("peerflow-serve-timer")) {
      if (store.highestHeader().isEmpty()) {
        throw new IllegalArgumentException("the store in " + datadir + " holds no blocks");
      }
      StoreSource source = new StoreSource(store);
      InetSocketAddress metricsAddress =
          metrics == null ? null : MetricsServer.parseAddress(metrics);
      NodeMetrics meters = metrics == null ? null : new NodeMetrics();
      EthNodeConfig.Builder builder =
          EthNodeConfig.builder(NodeKey.loadOrCreate(datadir), config)
              .source(source)
              .timer(timer)
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
      out.flush();
      stop.await();
    }
    return 0;
  }
}
