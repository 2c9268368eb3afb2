package io.peerflow.peers;

import io.peerflow.chain.Hash;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A peer that accepts every request and never answers: for driving the peer layer by hand, where
 * the caller settles every fetch itself (replaying recorded traces, benchmarking the set's
 * bookkeeping) and no transport exists.
 *
 * <p>Immutable and thread-safe; each request returns a fresh future that nothing completes.
 */
public final class SilentPeer implements RemotePeer {

  private final String id;

  /** A silent peer with this id. */
  public SilentPeer(String id) {
    this.id = id;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public CompletableFuture<Response> requestHeadersByNumber(
      long origin, int amount, int skip, boolean reverse) {
    return new CompletableFuture<>();
  }

  @Override
  public CompletableFuture<Response> requestHeadersByHash(
      Hash origin, int amount, int skip, boolean reverse) {
    return new CompletableFuture<>();
  }

  @Override
  public CompletableFuture<Response> requestBodies(List<Hash> hashes) {
    return new CompletableFuture<>();
  }

  @Override
  public CompletableFuture<Response> requestReceipts(List<Hash> hashes) {
    return new CompletableFuture<>();
  }

  @Override
  public CompletableFuture<Response> requestNodeData(List<Hash> hashes) {
    return new CompletableFuture<>();
  }

  @Override
  public String toString() {
    return "SilentPeer{" + id + "}";
  }
}
