package io.peerflow.rlpx;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * An established RLPx connection to one peer (handshake done, Hello exchanged, capabilities
 * negotiated); thread-safe, every method may be called from any thread.
 *
 * <p>The identity and capability accessors return values fixed at the Hello exchange. Actions
 * ({@link #disconnect}, {@link #ping}) run on the connection's event loop; their futures, and
 * {@link #closeFuture()}, complete there, so callbacks attached to them must not block.
 */
public interface Connection {

  /** The peer's node id, authenticated by the handshake. */
  NodeId remoteId();

  /** The client id from the peer's Hello, e.g. "Geth/v1.14.0/linux-amd64/go1.22". */
  String remoteClientId();

  /** The p2p protocol version from the peer's Hello. */
  long remoteProtocolVersion();

  /** The peer's advertised capabilities as {@code name/version} strings, in its order. */
  List<String> remoteCapabilities();

  /**
   * The capabilities both sides share, one per name at the highest shared version, in message-id
   * order (alphabetical by name).
   */
  List<Capability> sharedCapabilities();

  /** The peer's socket address (null only for channels that are not sockets, in tests). */
  InetSocketAddress remoteAddress();

  /** Whether we dialed (true) or accepted (false) this connection. */
  boolean isInitiator();

  /** False once a disconnect has started, from either side. */
  boolean isOpen();

  /**
   * Whether the socket's outbound buffer is below its high-water mark: while false, senders should
   * hold back further messages. {@link ProtocolHandler#onWritabilityChanged} reports changes.
   */
  boolean isWritable();

  /**
   * Sends Disconnect with {@code reason}, then closes the connection once the message is written
   * and the peer has had a short time to close its side. Idempotent: later calls, or calls after
   * the peer disconnected, return the same future.
   *
   * @return completes with the connection's {@link Disconnection} once it is closed
   */
  CompletableFuture<Disconnection> disconnect(DisconnectReason reason);

  /**
   * As {@link #disconnect(DisconnectReason)}, with {@code detail} (why, in words) in the
   * connection's disconnect log line and its {@link Disconnection} instead of a generic "requested
   * by this node".
   */
  CompletableFuture<Disconnection> disconnect(DisconnectReason reason, String detail);

  /**
   * Sends a Ping and completes with the time until the matching Pong. Fails with {@link
   * DisconnectedException} if the connection closes first.
   */
  CompletableFuture<Duration> ping();

  /** Completes, never exceptionally, when the connection is closed, with how it ended. */
  CompletableFuture<Disconnection> closeFuture();

  /** Runs {@code listener} once the connection is closed (at once if it already is). */
  default void onClose(Consumer<Disconnection> listener) {
    closeFuture().thenAccept(listener);
  }
}
