package io.peerflow.peers;

import io.peerflow.chain.Hash;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A remote peer for tests: records every request and hands out futures the test completes. */
final class FakePeer implements RemotePeer {

  final String id;
  final List<String> requests = new CopyOnWriteArrayList<>();
  final List<CompletableFuture<Response>> futures = new CopyOnWriteArrayList<>();
  volatile RuntimeException failWith;

  FakePeer(String id) {
    this.id = id;
  }

  @Override
  public String id() {
    return id;
  }

  private CompletableFuture<Response> record(String request) {
    RuntimeException failure = failWith;
    if (failure != null) {
      throw failure;
    }
    requests.add(request);
    CompletableFuture<Response> f = new CompletableFuture<>();
    futures.add(f);
    return f;
  }

  @Override
  public CompletableFuture<Response> requestHeadersByNumber(
      long origin, int amount, int skip, boolean reverse) {
    return record("headers #" + origin + " x" + amount + " skip " + skip + (reverse ? " rev" : ""));
  }

  @Override
  public CompletableFuture<Response> requestHeadersByHash(
      Hash origin, int amount, int skip, boolean reverse) {
    return record("headers " + origin + " x" + amount + " skip " + skip + (reverse ? " rev" : ""));
  }

  @Override
  public CompletableFuture<Response> requestBodies(List<Hash> hashes) {
    return record("bodies " + hashes.size());
  }

  @Override
  public CompletableFuture<Response> requestReceipts(List<Hash> hashes) {
    return record("receipts " + hashes.size());
  }

  /** A response of {@code n} items. */
  static Response items(int n) {
    return () -> n;
  }

  /** The hash whose last eight bytes hold {@code n}. */
  static Hash hash(long n) {
    return Hash.fromHex(String.format("0x%064x", n));
  }
}
