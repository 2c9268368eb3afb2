package io.peerflow.rlpx;

/**
 * What an {@link RlpxHost} reports about its connections as they happen, for metrics: sessions that
 * start and end (with the reason), handshakes that fail, bytes read from the sockets. Every method
 * does nothing by default, so an observer overrides only what it counts; {@link #NONE} counts
 * nothing and is what a host uses unless given another.
 *
 * <p>Called on the connections' event loops, from several at once: implementations are thread-safe
 * and return at once (a counter's increment), never blocking.
 */
public interface RlpxObserver {

  /** The observer that ignores everything. */
  RlpxObserver NONE = new RlpxObserver() {};

  /**
   * A session was established (handshake and Hello exchange done, capabilities agreed); it is
   * connected until {@link #sessionEnded} for it.
   */
  default void sessionStarted() {}

  /** An established session ended, for {@code reason}, said by the peer if {@code byRemote}. */
  default void sessionEnded(DisconnectReason reason, boolean byRemote) {}

  /**
   * A connection ended before its session was established (during the cryptographic handshake or
   * the Hello exchange), for {@code reason}.
   */
  default void handshakeFailed(DisconnectReason reason, boolean byRemote) {}

  /** {@code bytes} were read from a connection's socket, before any decryption or decoding. */
  default void bytesReceived(int bytes) {}
}
