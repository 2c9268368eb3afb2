package io.peerflow.rlpx;

/**
 * A connection ended before, or while, an operation waited on it; immutable, carries the {@link
 * Disconnection}.
 *
 * <p>Fails a {@link RlpxHost#dial} future when the peer is reached but the handshake or Hello
 * exchange fails, pending {@link Connection#ping()} futures when the connection closes, and sends
 * on a connection that is already ending.
 */
public final class DisconnectedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Disconnection disconnection;

  public DisconnectedException(Disconnection disconnection) {
    super(
        "disconnected: "
            + disconnection.reason()
            + (disconnection.byRemote() ? " by peer" : "")
            + ": "
            + disconnection.detail());
    this.disconnection = disconnection;
  }

  /** How the connection ended. */
  public Disconnection disconnection() {
    return disconnection;
  }
}
