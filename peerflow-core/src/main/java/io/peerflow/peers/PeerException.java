package io.peerflow.peers;

/**
 * A peer operation refused because of the state of the peer or the set: the peer is already
 * registered, is not registered, or is already fetching that kind of data. The message is exactly
 * the reason's text ({@code "already registered"}, ...), as in go-ethereum.
 *
 * <p>These are expected outcomes of concurrent scheduling, not bugs, so the exception carries no
 * stack trace and is cheap to throw. Immutable.
 */
public final class PeerException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why the operation was refused. */
  public enum Reason {
    /** {@link PeerSet#register} of an id already in the set. */
    ALREADY_REGISTERED("already registered"),
    /** An operation on an id that is not in the set. */
    NOT_REGISTERED("not registered"),
    /** A fetch of a kind the peer is still busy with. */
    ALREADY_FETCHING("already fetching");

    private final String text;

    Reason(String text) {
      this.text = text;
    }

    /** The exact error text, as go-ethereum spells it. */
    public String text() {
      return text;
    }
  }

  private final Reason reason;

  /** An exception for {@code reason}, whose message is {@link Reason#text()}. */
  public PeerException(Reason reason) {
    super(reason.text(), null, false, false);
    this.reason = reason;
  }

  /** Why the operation was refused. */
  public Reason reason() {
    return reason;
  }
}
