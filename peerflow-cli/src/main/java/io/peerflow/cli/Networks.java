package io.peerflow.cli;

import io.peerflow.chain.config.ChainConfig;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resolves the {@code --network} and address flags shared by the commands. Stateless. */
final class Networks {

  private Networks() {}

  /**
   * The chain named by {@code --network}; without one, the data directory's own genesis file
   * (written by generate), else mainnet.
   */
  static ChainConfig resolve(String network, Path datadir) {
    if (network != null) {
      return ChainConfig.named(network);
    }
    if (datadir != null && Files.isRegularFile(datadir.resolve(LocalChains.GENESIS_FILE))) {
      return ChainConfig.named(datadir.resolve(LocalChains.GENESIS_FILE).toString());
    }
    return ChainConfig.MAINNET;
  }

  /**
   * The network name era files carry for {@code config}'s chain: the built-in networks' names, and
   * {@code unknown} for any other (as go-ethereum names them).
   */
  static String eraName(ChainConfig config) {
    switch (config.name()) {
      case "mainnet":
      case "sepolia":
      case "hoodi":
        return config.name();
      default:
        return "unknown";
    }
  }

  /** {@code host:port}, with a clear error otherwise. */
  static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException("expected HOST:PORT, got '" + hostPort + "'");
    }
    try {
      int port = Integer.parseInt(hostPort.substring(colon + 1));
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return new InetSocketAddress(hostPort.substring(0, colon), port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid port in '" + hostPort + "'");
    }
  }
}
