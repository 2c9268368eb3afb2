package io.peerflow.eth;

import io.peerflow.chain.Hash;
import io.peerflow.chain.response.BodiesResponse;
import io.peerflow.chain.response.HeadersResponse;
import io.peerflow.chain.response.ReceiptsResponse;
import io.peerflow.concurrent.Failures;
import io.peerflow.eth.wire.EthMessages;
import io.peerflow.eth.wire.PartialReceipts;
import io.peerflow.eth.wire.Status;
import io.peerflow.peers.MessageKind;
import io.peerflow.peers.Response;
import io.peerflow.rlp.RlpException;
import io.peerflow.rlpx.DisconnectReason;
import io.peerflow.rlpx.DisconnectedException;
import io.peerflow.rlpx.Disconnection;
import io.peerflow.rlpx.ProtocolHandler;
import io.peerflow.rlpx.ProtocolSession;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The eth protocol on one connection: routes each message to the part that owns it (the {@link
 * StatusExchange} until Status, then our {@link PendingRequests} for answers and the connection's
 * {@link ServingQueue} for the peer's requests) and turns anything out of protocol into a
 * disconnect with a reason and one log line.
 *
 * <p>Callbacks run on the connection's event loop; requests are sent from any thread; deadlines run
 * on the node's timer. Fields the event loop writes and other threads read are volatile.
 */
final class EthSession implements ProtocolHandler {

  static final Logger LOG = LoggerFactory.getLogger("io.peerflow.eth");

  private final EthNode node;
  private final ProtocolSession session;
  private final int version;
  final CompletableFuture<EthPeer> ready = new CompletableFuture<>();
  private final PendingRequests requests;
  private final StatusExchange status;
  private final ServingQueue serving;
  private volatile Status remote;
  private volatile EthPeer peer;
  private volatile EthMessages.BlockRange range;
  private volatile String closedBecause;

  EthSession(EthNode node, ProtocolSession session) {
    this.node = node;
    this.session = session;
    this.version = session.version();
    this.requests =
        new PendingRequests(node.timer(), node.config().requestTimeout().toNanos(), label());
    this.serving =
        new ServingQueue(
            node.servingPool(),
            node.timer(),
            session.isWritable(),
            this::sendAnswer,
            this::overload,
            LOG,
            label());
    session.send(EthMessages.STATUS, node.localStatus(version).encode());
    this.status =
        new StatusExchange(
            node.timer(), node.config().statusTimeout(), r -> refuse(r.reason(), r.why()));
  }

  /** Sends an answer to the peer's request, and tells the node's observer. */
  private CompletableFuture<Void> sendAnswer(Serving.Answer a) {
    MessageKind kind =
        switch (a.code()) {
          case EthMessages.BLOCK_HEADERS -> MessageKind.HEADERS;
          case EthMessages.BLOCK_BODIES -> MessageKind.BODIES;
          default -> MessageKind.RECEIPTS;
        };
    try {
      node.config().servingObserver().answered(kind, a.items(), a.payload().length);
    } catch (RuntimeException e) {
      LOG.warn("Serving observer threw", e);
    }
    return session.send(a.code(), a.payload());
  }

  int version() {
    return version;
  }

  ProtocolSession session() {
    return session;
  }

  Status remoteStatus() {
    return remote;
  }

  EthMessages.BlockRange range() {
    return range;
  }

  /** Tells an eth/69 peer the blocks we now serve; nothing on eth/68, which has no such message. */
  void announce(EthMessages.BlockRange ours) {
    if (version >= 69) {
      session.send(EthMessages.BLOCK_RANGE_UPDATE, ours.encode());
    }
  }

  String label() {
    return session.connection().remoteId().shortHex() + "@" + session.connection().remoteAddress();
  }

  @Override
  public void onMessage(int code, byte[] payload) {
    try {
      if (remote == null) {
        if (code != EthMessages.STATUS) {
          breach("message 0x" + Integer.toHexString(code) + " before Status");
          return;
        }
        onStatus(payload);
        return;
      }
      switch (code) {
        case EthMessages.STATUS -> breach("a second Status");
        case EthMessages.GET_BLOCK_HEADERS -> {
          EthMessages.HeadersRequest q = EthMessages.HeadersRequest.decode(payload);
          serving.offer(() -> node.serving().headers(q));
        }
        case EthMessages.GET_BLOCK_BODIES -> {
          EthMessages.HashesRequest q =
              EthMessages.HashesRequest.decode(payload, SourceServing.MAX_BODIES_SERVE);
          serving.offer(() -> node.serving().bodies(q));
        }
        case EthMessages.GET_RECEIPTS -> {
          if (version >= 70) {
            PartialReceipts.Request q =
                PartialReceipts.Request.decode(payload, SourceServing.MAX_BODIES_SERVE);
            serving.offer(() -> node.serving().receipts70(q));
          } else {
            EthMessages.HashesRequest q =
                EthMessages.HashesRequest.decode(payload, SourceServing.MAX_BODIES_SERVE);
            serving.offer(() -> node.serving().receipts(version, q));
          }
        }
        case EthMessages.BLOCK_HEADERS, EthMessages.BLOCK_BODIES, EthMessages.RECEIPTS ->
            requests.answer(code, EthMessages.requestId(payload), payload).ifPresent(this::breach);
        case EthMessages.GET_POOLED_TRANSACTIONS ->
            session.send(
                EthMessages.POOLED_TRANSACTIONS,
                EthMessages.emptyList(EthMessages.requestId(payload)));
        case EthMessages.BLOCK_RANGE_UPDATE -> {
          if (version < 69) {
            breach("BlockRangeUpdate on eth/" + version);
          } else {
            range = EthMessages.BlockRange.decode(payload);
          }
        }
        // Gossip a downloader does not keep: new blocks, transactions and their announcements.
        case EthMessages.NEW_BLOCK_HASHES,
            EthMessages.TRANSACTIONS,
            EthMessages.NEW_BLOCK,
            EthMessages.NEW_POOLED_TRANSACTION_HASHES,
            EthMessages.POOLED_TRANSACTIONS -> {}
        default -> breach("unknown message code 0x" + Integer.toHexString(code));
      }
    } catch (RlpException e) {
      breach("malformed message 0x" + Integer.toHexString(code) + ": " + e.getMessage());
    }
  }

  @Override
  public void onWritabilityChanged(boolean writable) {
    serving.writable(writable);
  }

  private void onStatus(byte[] payload) {
    Status s = Status.decode(version, payload);
    status.stop();
    Optional<StatusExchange.Refusal> refusal =
        StatusExchange.judge(
            version,
            s,
            node.localStatus(version),
            node.config().chain().name(),
            node.forkSchedule(),
            node.localHead());
    if (refusal.isPresent()) {
      refuse(refusal.get().reason(), refusal.get().why());
      return;
    }
    remote = s;
    if (version >= 69) {
      range = new EthMessages.BlockRange(s.earliest(), s.latest(), s.head());
    }
    peer = new EthPeer(this);
    LOG.debug(
        "eth/{} session with {} ({})", version, label(), session.connection().remoteClientId());
    ready.complete(peer);
  }

  /** Ends the session before it was established, for a Status that does not match ours. */
  private void refuse(DisconnectReason reason, String why) {
    if (ready.isDone()) {
      return;
    }
    LOG.info("Disconnecting {}: {}", label(), why);
    closedBecause = why;
    ready.completeExceptionally(new EthException(why));
    session.disconnect(reason);
  }

  /** Ends the session for a breach of protocol. */
  private void breach(String why) {
    LOG.warn("Disconnecting {}: {}", label(), why);
    closedBecause = why;
    requests.failAll(new EthException("peer " + label() + " broke the protocol: " + why));
    ready.completeExceptionally(new EthException(why));
    session.disconnect(DisconnectReason.PROTOCOL_ERROR);
  }

  /**
   * Ends the session of a peer that asks faster than it reads, or reads nothing: one log line, and
   * the reason in the Disconnect's detail.
   */
  private void overload(String why, boolean timeout) {
    if (closedBecause != null) {
      return; // already ending, for this or another reason: one line is enough
    }
    LOG.warn("Disconnecting {}: {}", label(), why);
    closedBecause = why;
    serving.close();
    requests.failAll(new EthException(why));
    session.disconnect(
        timeout ? DisconnectReason.TCP_ERROR : DisconnectReason.SUBPROTOCOL_ERROR, why);
  }

  @Override
  public void onDisconnect(DisconnectReason reason, boolean byRemote, String detail) {
    status.stop();
    serving.close();
    String why =
        closedBecause != null
            ? closedBecause
            : describe(new Disconnection(reason, byRemote, detail));
    closedBecause = why;
    requests.failAll(new EthException(why));
    ready.completeExceptionally(new EthException(why));
    EthPeer p = peer;
    if (p != null) {
      p.closed(why);
      node.sessionClosed(p);
    }
  }

  /** How a connection ended, in the words pending requests fail with and reports show. */
  private static String describe(Disconnection d) {
    return (d.byRemote() ? "peer disconnected: " : "disconnected: ")
        + d.reason().description()
        // A Disconnect message carries only its reason; anything else (a MAC mismatch, an
        // oversize frame, a closed socket) is worth the words in a peer's drop reason.
        + (d.detail().equals(Disconnection.PEER_SENT_DISCONNECT) ? "" : " (" + d.detail() + ")");
  }

  /** Why a request could not be sent: the connection's end if that was it. */
  private String sendFailure(Throwable e) {
    Throwable c = Failures.unwrap(e);
    if (c instanceof DisconnectedException d) {
      return describe(d.disconnection());
    }
    if (closedBecause != null) {
      return closedBecause;
    }
    return "sending to " + label() + " failed: " + Failures.describe(c);
  }

  // -- our requests -------------------------------------------------------------------------------

  CompletableFuture<HeadersResponse> requestHeaders(
      Hash hash, long number, int amount, int skip, boolean reverse) {
    return request(
        EthMessages.GET_BLOCK_HEADERS,
        EthMessages.BLOCK_HEADERS,
        id -> new EthMessages.HeadersRequest(id, hash, number, amount, skip, reverse).encode(),
        p -> new HeadersResponse(EthMessages.decodeBlockHeaders(p, amount).items()));
  }

  CompletableFuture<BodiesResponse> requestBodies(List<Hash> hashes) {
    return request(
        EthMessages.GET_BLOCK_BODIES,
        EthMessages.BLOCK_BODIES,
        id -> new EthMessages.HashesRequest(id, hashes).encode(),
        p -> new BodiesResponse(EthMessages.decodeBlockBodies(p, hashes.size()).items()));
  }

  CompletableFuture<ReceiptsResponse> requestReceipts(List<Hash> hashes) {
    if (version >= 70) {
      return new ReceiptsRequest70(this, hashes).start();
    }
    return request(
        EthMessages.GET_RECEIPTS,
        EthMessages.RECEIPTS,
        id -> new EthMessages.HashesRequest(id, hashes).encode(),
        p -> new ReceiptsResponse(EthMessages.decodeReceipts(version, p, hashes.size()).items()));
  }

  /** One eth/70 GetReceipts; {@link ReceiptsRequest70} continues the blocks it cuts short. */
  CompletableFuture<PartialReceipts.Answer> requestReceipts70(long firstIndex, List<Hash> hashes) {
    return request(
        EthMessages.GET_RECEIPTS,
        EthMessages.RECEIPTS,
        id -> new PartialReceipts.Request(id, firstIndex, hashes).encode(),
        p -> PartialReceipts.Answer.decode(p, hashes.size()));
  }

  @SuppressWarnings("unchecked") // the decoder given for each kind makes that kind's response
  private <T extends Response> CompletableFuture<T> request(
      int code,
      int answerCode,
      Function<Long, byte[]> encoder,
      Function<byte[], Response> decoder) {
    String closed = closedBecause;
    if (closed != null) {
      return CompletableFuture.failedFuture(new EthException(closed));
    }
    if (remote == null) {
      return CompletableFuture.failedFuture(
          new EthException("eth session with " + label() + " not established"));
    }
    PendingRequests.Opened opened = requests.open(answerCode, decoder);
    session
        .send(code, encoder.apply(opened.id()))
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                requests.fail(opened.id(), new EthException(sendFailure(e), e));
              }
            });
    return (CompletableFuture<T>) (CompletableFuture<?>) opened.future();
  }
}
