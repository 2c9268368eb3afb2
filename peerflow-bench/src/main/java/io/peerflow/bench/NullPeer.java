package io.peerflow.bench;

import io.peerflow.chain.Hash;
import io.peerflow.peers.RemotePeer;
import io.peerflow.peers.Response;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A peer that answers every request at once with nothing, so benchmarks time only core. */
final class NullPeer implements RemotePeer {

  private static final CompletableFuture<Response> EMPTY =
      CompletableFuture.completedFuture(() -> 0);

  private final String id;

  NullPeer(String id) {
    this.id = id;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public CompletableFuture<Response> requestHeadersByNumber(
      long origin, int amount, int skip, boolean reverse) {
    return EMPTY;
  }

  @Override
  public CompletableFuture<Response> requestHeadersByHash(
      Hash origin, int amount, int skip, boolean reverse) {
    return EMPTY;
  }

  @Override
  public CompletableFuture<Response> requestBodies(List<Hash> hashes) {
    return EMPTY;
  }

  @Override
  public CompletableFuture<Response> requestReceipts(List<Hash> hashes) {
    return EMPTY;
  }
}
