package io.peerflow.peers;

/**
 * A peer joined or left a {@link PeerSet}. Immutable.
 *
 * @param type whether the peer joined or left
 * @param peer the peer's connection (after a leave, no longer in the set)
 */
public record PeerEvent(Type type, PeerConnection peer) {

  /** What happened to the peer. */
  public enum Type {
    /** The peer was registered. */
    JOIN,
    /** The peer was unregistered. */
    LEAVE
  }
}
