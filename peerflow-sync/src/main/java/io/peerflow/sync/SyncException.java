package io.peerflow.sync;

/**
 * Why a sync could not finish, in one line a person can act on (no peers left, peers disagree on
 * the anchor, the anchor is unknown to every peer, ...). Whatever was verified and stored before it
 * is kept. Immutable.
 */
public final class SyncException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public SyncException(String message) {
    super(message);
  }

  public SyncException(String message, Throwable cause) {
    super(message, cause);
  }
}
