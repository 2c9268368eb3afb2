package io.peerflow.cli;

import io.peerflow.chain.config.ChainConfig;
import io.peerflow.eth.EthNode;
import io.peerflow.eth.EthNodeConfig;
import io.peerflow.eth.Serving;
import io.peerflow.eth.ShapedServing;
import io.peerflow.eth.Shaping;
import io.peerflow.rlpx.Enode;
import io.peerflow.rlpx.NodeKey;
import io.peerflow.store.ChainStore;
import io.peerflow.time.SystemTimer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Serving peers on loopback over one stored chain, each shaped to its own rate and latency: the
 * peers of the embedded default sync and of the benchmark. Each node's serving is wrapped in a
 * {@link ShapedServing}; all of them wait on one timer thread. Thread-safe; {@link #close()} stops
 * every peer, the timer, and closes the store.
 */
final class LocalNetwork implements AutoCloseable {

  /** A latency no sync waits out: a peer with it accepts requests and never answers in time. */
  static final java.time.Duration STALL = java.time.Duration.ofHours(1);

  private final ChainStore store;
  private final List<EthNode> nodes = new ArrayList<>();
  private final List<Shaping> shapes;
  private final SystemTimer timer = new SystemTimer("peerflow-local-network");

  private LocalNetwork(ChainStore store, List<Shaping> shapes) {
    this.store = store;
    this.shapes = List.copyOf(shapes);
  }

  /** Starts one serving node per shape over the chain in {@code chainDir}. */
  static LocalNetwork start(Path chainDir, ChainConfig config, List<Shaping> shapes) {
    ChainStore store = Datadir.openStore(chainDir, config);
    LocalNetwork net = new LocalNetwork(store, shapes);
    try {
      StoreSource source = new StoreSource(store, config);
      for (Shaping s : shapes) {
        net.nodes.add(
            EthNode.start(
                EthNodeConfig.builder(NodeKey.generate(), config)
                    .clientId("peerflow-serve/" + describe(s))
                    .source(source)
                    .serving(new ShapedServing(Serving.of(source), s, net.timer))
                    .timer(net.timer)
                    .listen(new InetSocketAddress("127.0.0.1", 0))
                    .build()));
      }
      return net;
    } catch (RuntimeException e) {
      net.close();
      throw e;
    }
  }

  static String describe(Shaping s) {
    if (s.latency().compareTo(STALL) >= 0) {
      return "staller";
    }
    String rate =
        s.itemsPerSecond() <= 0
            ? "unlimited"
            : String.format(java.util.Locale.ROOT, "%.0f/s", s.itemsPerSecond());
    return s.latency().isZero() ? rate : rate + "+" + s.latency().toMillis() + "ms";
  }

  /** The peers' enode URLs. */
  List<Enode> enodes() {
    return nodes.stream().map(n -> n.enode().orElseThrow()).toList();
  }

  /** Items per second the peers can serve together (stallers count for nothing). */
  double itemsPerSecond() {
    double sum = 0;
    for (Shaping s : shapes) {
      if (s.latency().compareTo(STALL) < 0) {
        sum += s.itemsPerSecond();
      }
    }
    return sum;
  }

  @Override
  public void close() {
    nodes.forEach(EthNode::close);
    timer.close();
    store.close();
  }
}
