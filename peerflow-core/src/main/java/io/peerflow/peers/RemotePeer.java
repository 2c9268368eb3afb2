package io.peerflow.peers;

import io.peerflow.chain.Hash;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A remote node data can be requested from: the one thing an embedder (or peerflow's own devp2p
 * transport) implements to plug its peers into the downloader.
 *
 * <p>Thread-safety: every method may be called from any thread, concurrently with the others.
 * Request methods must not block: they send (or queue) the request and return at once a future that
 * the transport completes later, on a thread of its choosing, with the decoded {@link Response}, or
 * exceptionally when the request fails (disconnect, malformed answer). Timeouts are the caller's
 * business (see {@code Trackers#targetTimeout}); a transport may also impose its own. A method that
 * throws instead of returning a future signals that nothing was sent.
 */
public interface RemotePeer {

  /** Unique, stable identifier of the peer (for devp2p, its node id in hex). */
  String id();

  /**
   * Requests {@code amount} headers starting at block number {@code origin}, taking every {@code
   * skip + 1}-th block, going towards lower numbers if {@code reverse}.
   */
  CompletableFuture<? extends Response> requestHeadersByNumber(
      long origin, int amount, int skip, boolean reverse);

  /** As {@link #requestHeadersByNumber}, starting at the block with hash {@code origin}. */
  CompletableFuture<? extends Response> requestHeadersByHash(
      Hash origin, int amount, int skip, boolean reverse);

  /** Requests the bodies of the blocks with these hashes. */
  CompletableFuture<? extends Response> requestBodies(List<Hash> hashes);

  /** Requests the receipts of the blocks with these hashes. */
  CompletableFuture<? extends Response> requestReceipts(List<Hash> hashes);

  /**
   * The lowest block whose body and receipts the peer says it serves, as an eth/69 peer announces
   * (Status, then BlockRangeUpdate) since history expiry; 0, everything, for a peer that announces
   * nothing. Headers are not bound by it: nodes that drop old bodies and receipts keep the headers.
   * It may change during a connection, so read it whenever a request is planned.
   */
  default long servedFrom() {
    return 0;
  }

  /**
   * Requests state trie nodes by hash. Protocols from eth/67 on dropped this message, so by default
   * the future fails with {@link UnsupportedOperationException}.
   */
  default CompletableFuture<? extends Response> requestNodeData(List<Hash> hashes) {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException("peer " + id() + " does not serve node data"));
  }
}
