package io.peerflow.rlpx;

import java.util.concurrent.CompletableFuture;

/**
 * A subprotocol's thread-safe view of one connection: its negotiated capability and a way to send
 * its messages, with codes relative to its own message space.
 *
 * <p>Code 0 is the capability's first message, whatever absolute id RLPx assigned. {@link #send}
 * may be called from any thread; messages sent from one thread go out in the order of the calls.
 */
public interface ProtocolSession {

  /** The connection this session runs on. */
  Connection connection();

  /** The negotiated capability: the highest version both peers share for this name. */
  Capability capability();

  /** The negotiated version, e.g. 68 for eth/68. */
  default int version() {
    return capability().version();
  }

  /**
   * Sends one message. The payload array is sent as is, not copied: do not modify it after the
   * call.
   *
   * @param code the message code relative to this capability, in [0, messageSpaceLength)
   * @param rlpPayload the message's RLP encoding, at most the configured maximum message size
   * @return completes when the message has been written to the socket; fails if the connection is
   *     closing or closed (then with {@link java.nio.channels.ClosedChannelException}) or the
   *     message cannot be framed
   * @throws IllegalArgumentException if the code is outside this capability's space or the payload
   *     is larger than the maximum message size
   */
  CompletableFuture<Void> send(int code, byte[] rlpPayload);

  /** Same as {@code connection().isWritable()}: false means "hold back, the socket is full". */
  default boolean isWritable() {
    return connection().isWritable();
  }

  /** Same as {@code connection().disconnect(reason)}. */
  default CompletableFuture<Disconnection> disconnect(DisconnectReason reason) {
    return connection().disconnect(reason);
  }

  /** Same as {@code connection().disconnect(reason, detail)}. */
  default CompletableFuture<Disconnection> disconnect(DisconnectReason reason, String detail) {
    return connection().disconnect(reason, detail);
  }
}
