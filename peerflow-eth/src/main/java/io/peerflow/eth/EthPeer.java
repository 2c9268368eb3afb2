package io.peerflow.eth;

import io.peerflow.chain.Hash;
import io.peerflow.chain.response.BodiesResponse;
import io.peerflow.chain.response.HeadersResponse;
import io.peerflow.chain.response.ReceiptsResponse;
import io.peerflow.eth.wire.EthMessages;
import io.peerflow.eth.wire.Status;
import io.peerflow.peers.RemotePeer;
import io.peerflow.rlpx.DisconnectReason;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A connected eth peer whose Status matched ours, as the core's {@link RemotePeer}: requests go out
 * with fresh request ids and complete with {@link HeadersResponse}, {@link BodiesResponse} and
 * {@link ReceiptsResponse}, or fail with an {@link EthException} (disconnect, no answer within the
 * node's request timeout, an answer out of protocol, which also ends the connection).
 *
 * <p>Thread-safe: requests may be sent from any thread; futures complete on the connection's event
 * loop or the node's timer thread.
 */
public final class EthPeer implements RemotePeer {

  private final EthSession session;
  private final String id;
  private final CompletableFuture<String> closed = new CompletableFuture<>();

  EthPeer(EthSession session) {
    this.session = session;
    this.id = session.session().connection().remoteId().toHex();
  }

  /** The node id in hex (128 digits). */
  @Override
  public String id() {
    return id;
  }

  /** The negotiated eth version: 68 or 69. */
  public int version() {
    return session.version();
  }

  /** The Status the peer sent. */
  public Status status() {
    return session.remoteStatus();
  }

  /** The client id from the peer's Hello, e.g. {@code Geth/v1.16.0/linux-amd64/go1.24}. */
  public String clientId() {
    return session.session().connection().remoteClientId();
  }

  /** Where the peer is. */
  public InetSocketAddress remoteAddress() {
    return session.session().connection().remoteAddress();
  }

  /**
   * The newest head the peer announced: its number on eth/69 (Status, then BlockRangeUpdate), or -1
   * on eth/68, whose Status names the head only by hash ({@link Status#head()}).
   */
  public long headNumber() {
    EthMessages.BlockRange r = session.range();
    return r == null ? -1 : r.latest();
  }

  /**
   * The earliest block the peer announced (eth/69 Status, then BlockRangeUpdate), read afresh on
   * every call since an update may move it; 0 on eth/68, which announces nothing.
   */
  @Override
  public long servedFrom() {
    EthMessages.BlockRange r = session.range();
    return r == null ? 0 : r.earliest();
  }

  /** The newest head hash the peer announced. */
  public Hash headHash() {
    EthMessages.BlockRange r = session.range();
    return r == null ? session.remoteStatus().head() : r.latestHash();
  }

  /** Sends our new block range if the peer speaks eth/69. */
  void announce(EthMessages.BlockRange ours) {
    session.announce(ours);
  }

  /** A short label for logs and tables: the first 8 bytes of the id and the address. */
  public String label() {
    return session.label();
  }

  @Override
  public CompletableFuture<HeadersResponse> requestHeadersByNumber(
      long origin, int amount, int skip, boolean reverse) {
    return session.requestHeaders(null, origin, amount, skip, reverse);
  }

  @Override
  public CompletableFuture<HeadersResponse> requestHeadersByHash(
      Hash origin, int amount, int skip, boolean reverse) {
    return session.requestHeaders(origin, 0, amount, skip, reverse);
  }

  @Override
  public CompletableFuture<BodiesResponse> requestBodies(List<Hash> hashes) {
    return session.requestBodies(hashes);
  }

  @Override
  public CompletableFuture<ReceiptsResponse> requestReceipts(List<Hash> hashes) {
    return session.requestReceipts(hashes);
  }

  /** Ends the connection with {@code reason}. */
  public void disconnect(DisconnectReason reason) {
    session.session().disconnect(reason);
  }

  /** Completes with why the connection ended, once it has. */
  public CompletableFuture<String> closeFuture() {
    return closed;
  }

  void closed(String why) {
    closed.complete(why);
  }

  @Override
  public String toString() {
    return "EthPeer{" + label() + ", eth/" + version() + "}";
  }
}
