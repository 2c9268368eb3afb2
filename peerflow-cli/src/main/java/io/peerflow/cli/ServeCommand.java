package io.peerflow.cli;

import io.peerflow.chain.config.ChainConfig;
import io.peerflow.eth.EthNode;
import io.peerflow.eth.EthNodeConfig;
import io.peerflow.eth.Shaping;
import io.peerflow.rlpx.NodeKey;
import io.peerflow.store.ChainStore;
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

  @Override
  public Integer call() throws Exception {
    ChainConfig config = Networks.resolve(network, datadir);
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
    try (ChainStore store = Datadir.openStore(datadir, config)) {
      if (store.canonicalHash(0).isEmpty() && store.highestHeader().isEmpty()) {
        // A fresh directory still serves its chain's genesis, as any node of the network does.
        Datadir.storeGenesis(store, config);
      }
      StoreSource source = new StoreSource(store, config);
      EthNode node =
          EthNode.start(
              EthNodeConfig.builder(NodeKey.loadOrCreate(datadir), config)
                  .source(source)
                  .listen(Networks.address(listen))
                  .shaping(new Shaping(rate, Duration.ofMillis(latencyMillis)))
                  .build());
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
