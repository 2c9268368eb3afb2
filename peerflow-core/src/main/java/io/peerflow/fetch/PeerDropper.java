package io.peerflow.fetch;

import io.peerflow.peers.PeerConnection;

/**
 * Disconnects a peer a {@link FetchScheduler} gave up on: the embedder's hook into its transport.
 *
 * <p>By the time it is called, the scheduler has already unregistered the peer from the {@link
 * io.peerflow.peers.PeerSet} and returned its reservations to the queue. Called on the scheduler's
 * thread: it must not block (hand the disconnect to the transport's own threads).
 */
@FunctionalInterface
public interface PeerDropper {

  /** Drops {@code peer} for {@code reason}; {@code detail} adds context (may be empty). */
  void drop(PeerConnection peer, DropReason reason, String detail);

  /** A dropper that does nothing beyond the unregistration the scheduler already did. */
  static PeerDropper none() {
    return (peer, reason, detail) -> {};
  }
}
