package io.peerflow.fetch;

/**
 * A fetch run that cannot finish: every peer is gone, or the peers left lack the remaining items.
 * The message says which, in one line.
 *
 * <p>Immutable; thrown (as the cause of the run's failed future), never by a method call.
 */
public final class FetchException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why the run failed. */
  public enum Reason {
    /** Every peer left or was dropped while work remained ("no peers left"). */
    NO_PEERS_LEFT,
    /** Peers are connected and idle, but none of them has any of the pending items. */
    PEERS_UNAVAILABLE
  }

  private final Reason reason;

  FetchException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  /** Why the run failed. */
  public Reason reason() {
    return reason;
  }
}
