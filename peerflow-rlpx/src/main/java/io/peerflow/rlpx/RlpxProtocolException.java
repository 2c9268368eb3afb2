package io.peerflow.rlpx;

/**
 * A peer broke the protocol, or a limit; the connection is ended with {@link #reason()}.
 *
 * <p>Thrown by the pipeline's decoders and handlers; the session handler turns it into a Disconnect
 * and a closed connection. Unchecked because Netty's decoders propagate it as the cause of a {@code
 * DecoderException}.
 */
final class RlpxProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final DisconnectReason reason;

  RlpxProtocolException(DisconnectReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  RlpxProtocolException(DisconnectReason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** A breach of protocol: the most common case. */
  static RlpxProtocolException protocol(String message) {
    return new RlpxProtocolException(DisconnectReason.PROTOCOL_ERROR, message);
  }

  DisconnectReason reason() {
    return reason;
  }
}
