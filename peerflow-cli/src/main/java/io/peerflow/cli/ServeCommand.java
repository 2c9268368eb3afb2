package io.peerflow.cli;

import io.peerflow.chain.config.ChainConfig;
import io.peerflow.eth.EthNode;
import io.peerflow.eth.EthNodeConfig;
import io.peerflow.eth.Serving;
import io.peerflow.eth.ShapedServing;
import io.peerflow.eth.Shaping;
import io.peerflow.rlpx.NodeKey;
import io.peerflow.rlpx.RlpxConfig;
import io.peerflow.store.ChainStore;
import io.peerflow.time.SystemTimer;
import java.io.PrintWriter;
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
      if (!shaping.equals(Shaping.NONE)) {
        // Only a node asked to play a slower peer answers through the shaping decorator.
        builder.serving(new ShapedServing(Serving.of(source), shaping, timer));
      }
      EthNode node = EthNode.start(builder.build());
      CountDownLatch stop = new CountDownLatch(1);
      Thread hook =
          new Thread(
              () -> {
                node.close();
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
      out.println(node.enode().orElseThrow());
      out.flush();
      stop.await();
    }
    return 0;
  }
}
