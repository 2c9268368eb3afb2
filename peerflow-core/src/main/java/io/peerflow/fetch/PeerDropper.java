package io.peerflow.fetch;

import io.peerflow.peers.PeerConnection;

/**
 * Disconnects a peer that was given up on, for a {@link DropReason}: the embedder's hook into its
 * transport, and the one type through which every part of a download (a scheduler, the sync engine
 * above it) drops a peer.
 *
 * <p>By the time a {@link FetchScheduler} calls it, the scheduler has already unregistered that
 * very connection from the {@link io.peerflow.peers.PeerSet} ({@link
 * io.peerflow.peers.PeerSet#unregister(PeerConnection)}, so a peer that reconnected under the same
 * id stays) and returned its reservations to the queue. Called on the dropping engine's thread: it
 * must not block (hand the disconnect to the transport's own threads).
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
