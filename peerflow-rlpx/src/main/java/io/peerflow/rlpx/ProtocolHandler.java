package io.peerflow.rlpx;

/**
 * Receives one subprotocol's messages on one connection, one callback at a time on that
 * connection's event loop; what a subprotocol implementation (for example {@code eth}) provides,
 * through a {@link ProtocolHandlerFactory}.
 *
 * <p>Threading: every callback of one connection runs on that connection's event loop, one at a
 * time, in wire order, so a handler needs no locking for state it touches only from callbacks.
 * Callbacks must not block (that stalls every connection on the loop); hand slow work to another
 * executor. A callback that throws ends the connection with {@link
 * DisconnectReason#SUBPROTOCOL_ERROR}.
 */
public interface ProtocolHandler {

  /**
   * A message for this capability arrived.
   *
   * @param code relative to the capability's message space, in [0, messageSpaceLength)
   * @param payload the message's RLP payload, uncompressed; owned by the handler
   */
  void onMessage(int code, byte[] payload);

  /**
   * The connection ended; called exactly once, last. No further messages arrive and sends fail.
   *
   * @param byRemote true if the peer ended it (sent Disconnect, closed the socket) or the transport
   *     failed, false if this side decided to
   * @param detail what ended it in words (for example "frame MAC mismatch"), the same text as the
   *     connection's disconnect log line; never null
   */
  void onDisconnect(DisconnectReason reason, boolean byRemote, String detail);

  /** The connection's writability changed (see {@link Connection#isWritable()}). */
  default void onWritabilityChanged(boolean writable) {}
}
