package io.peerflow.rlpx;

import java.util.Objects;

/**
 * How a connection ended (the reason, which side ended it, a human-readable detail); an immutable
 * value, safe to share between threads.
 *
 * @param reason the reason sent or received (for a dropped TCP connection, {@link
 *     DisconnectReason#TCP_ERROR})
 * @param byRemote true if the peer ended it (sent Disconnect, or closed the socket)
 * @param detail what happened, e.g. "frame MAC mismatch"; for logs and drop reasons
 */
public record Disconnection(DisconnectReason reason, boolean byRemote, String detail) {

  /** The detail when the peer's Disconnect message, with a known reason, is all there is to say. */
  public static final String PEER_SENT_DISCONNECT = "peer sent Disconnect";

  public Disconnection {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
  }
}
