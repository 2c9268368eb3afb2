package io.peerflow.rlpx;

/**
 * Creates a subprotocol's handler for each connection on which its capability was negotiated;
 * called concurrently from several event loops, so shared state must be thread-safe.
 *
 * <p>Called on the connection's event loop right after the Hello exchange, before any message of
 * the capability is delivered; it may send at once (e.g. eth's Status). Must not block. If it
 * throws, the connection ends with {@link DisconnectReason#SUBPROTOCOL_ERROR}. Called from many
 * event loops concurrently, so an implementation sharing state across connections must be
 * thread-safe.
 */
@FunctionalInterface
public interface ProtocolHandlerFactory {

  /** The handler for {@code session}; never null. */
  ProtocolHandler open(ProtocolSession session);
}
