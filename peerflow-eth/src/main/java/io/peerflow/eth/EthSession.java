package io.peerflow.eth;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.block.BlockReceipts;
import io.peerflow.chain.response.BodiesResponse;
import io.peerflow.chain.response.HeadersResponse;
import io.peerflow.chain.response.ReceiptsResponse;
import io.peerflow.chain.source.ChainSource;
import io.peerflow.eth.forkid.ForkId;
import io.peerflow.eth.wire.EthMessages;
import io.peerflow.eth.wire.PartialReceipts;
import io.peerflow.eth.wire.Status;
import io.peerflow.peers.Response;
import io.peerflow.rlp.RlpException;
import io.peerflow.rlpx.DisconnectReason;
import io.peerflow.rlpx.DisconnectedException;
import io.peerflow.rlpx.Disconnection;
import io.peerflow.rlpx.ProtocolHandler;
import io.peerflow.rlpx.ProtocolSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The eth protocol on one connection: the Status exchange and its checks, our requests matched to
 * their answers by request id, and answers to the peer's requests from the node's chain.
 *
 * <p>Callbacks run on the connection's event loop; requests are sent from any thread and their
 * bookkeeping is in concurrent maps; timeouts run on the node's scheduler. Anything the peer does
 * out of protocol ends the connection with a reason and one log line.
 */
final class EthSession implements ProtocolHandler {

  static final Logger LOG = LoggerFactory.getLogger("io.peerflow.eth");

  /** go-ethereum's {@code maxHeadersServe}: more headers per answer is wasted effort for both. */
  static final int MAX_HEADERS_SERVE = 1024;

  /** go-ethereum's {@code maxBodiesServe} and {@code maxReceiptsServe}. */
  static final int MAX_BODIES_SERVE = 1024;

  /**
   * go-ethereum's {@code softResponseLimit}: an answer stops growing once it passes 2 MiB, which
   * keeps one reply from hogging the connection while staying far below the 16 MiB message cap.
   */
  static final int SOFT_RESPONSE_LIMIT = 2 * 1024 * 1024;

  private record Pending(
      int responseCode,
      int max,
      CompletableFuture<Response> future,
      Function<byte[], Response> decoder,
      ScheduledFuture<?> timeout) {}

  private final EthNode node;
  private final ProtocolSession session;
  private final int version;
  final CompletableFuture<EthPeer> ready = new CompletableFuture<>();
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  // Ids start at a random point so that a peer cannot guess them across reconnections.
  private final AtomicLong nextId =
      new AtomicLong(ThreadLocalRandom.current().nextInt() & 0x7fffffffL);
  private final ScheduledFuture<?> statusTimer;
  private volatile Status remote;
  private volatile EthPeer peer;
  private volatile EthMessages.BlockRange range;
  private volatile String closedBecause;

  EthSession(EthNode node, ProtocolSession session) {
    this.node = node;
    this.session = session;
    this.version = session.version();
    session.send(EthMessages.STATUS, node.localStatus(version).encode());
    this.statusTimer =
        node.scheduler()
            .schedule(
                () ->
                    refuse(
                        DisconnectReason.PING_TIMEOUT,
                        "no Status within " + node.config().statusTimeout().toSeconds() + " s"),
                node.config().statusTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
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
        case EthMessages.GET_BLOCK_HEADERS ->
            serveHeaders(EthMessages.HeadersRequest.decode(payload));
        case EthMessages.GET_BLOCK_BODIES ->
            serveBodies(EthMessages.HashesRequest.decode(payload, MAX_BODIES_SERVE));
        case EthMessages.GET_RECEIPTS -> {
          if (version >= 70) {
            ReceiptsServing70.Reply r =
                ReceiptsServing70.answer(
                    node.config().source(),
                    PartialReceipts.Request.decode(payload, MAX_BODIES_SERVE));
            reply(EthMessages.RECEIPTS, r.payload(), r.lists());
          } else {
            serveReceipts(EthMessages.HashesRequest.decode(payload, MAX_BODIES_SERVE));
          }
        }
        case EthMessages.BLOCK_HEADERS, EthMessages.BLOCK_BODIES, EthMessages.RECEIPTS ->
            onResponse(code, payload);
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

  private void onStatus(byte[] payload) {
    Status s = Status.decode(version, payload);
    statusTimer.cancel(false);
    Status ours = node.localStatus(version);
    if (s.version() != version) {
      refuse(
          DisconnectReason.PROTOCOL_ERROR,
          "Status says eth/" + s.version() + " on an eth/" + version + " connection");
      return;
    }
    if (s.networkId() != ours.networkId()) {
      refuse(
          DisconnectReason.USELESS_PEER,
          "network mismatch: peer is on network "
              + s.networkId()
              + ", we are on "
              + ours.networkId()
              + " ("
              + node.config().chain().name()
              + ")");
      return;
    }
    if (!s.genesis().equals(ours.genesis())) {
      refuse(
          DisconnectReason.USELESS_PEER,
          "genesis mismatch: peer has "
              + s.genesis().toHex()
              + ", we have "
              + ours.genesis().toHex()
              + " ("
              + node.config().chain().name()
              + ")");
      return;
    }
    BlockHeader head = node.localHead();
    Optional<String> bad =
        node.forkSchedule().validate(s.forkId(), head.number(), head.timestamp());
    if (bad.isPresent()) {
      refuse(DisconnectReason.USELESS_PEER, "fork id rejected: " + bad.get());
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
    failAll(new EthException("peer " + label() + " broke the protocol: " + why));
    ready.completeExceptionally(new EthException(why));
    session.disconnect(DisconnectReason.PROTOCOL_ERROR);
  }

  @Override
  public void onDisconnect(DisconnectReason reason, boolean byRemote, String detail) {
    statusTimer.cancel(false);
    String why =
        closedBecause != null
            ? closedBecause
            : describe(new Disconnection(reason, byRemote, detail));
    closedBecause = why;
    failAll(new EthException(why));
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
    Throwable c = EthNode.unwrap(e);
    if (c instanceof DisconnectedException d) {
      return describe(d.disconnection());
    }
    if (closedBecause != null) {
      return closedBecause;
    }
    return "sending to " + label() + " failed: " + EthNode.words(c);
  }

  private void failAll(EthException e) {
    for (Long id : List.copyOf(pending.keySet())) {
      Pending p = pending.remove(id);
      if (p != null) {
        p.timeout().cancel(false);
        p.future().completeExceptionally(e);
      }
    }
  }

  // -- our requests -------------------------------------------------------------------------------

  CompletableFuture<HeadersResponse> requestHeaders(
      Hash hash, long number, int amount, int skip, boolean reverse) {
    return request(
        EthMessages.GET_BLOCK_HEADERS,
        EthMessages.BLOCK_HEADERS,
        amount,
        id -> new EthMessages.HeadersRequest(id, hash, number, amount, skip, reverse).encode(),
        p -> new HeadersResponse(EthMessages.decodeBlockHeaders(p, amount).items()));
  }

  CompletableFuture<BodiesResponse> requestBodies(List<Hash> hashes) {
    return request(
        EthMessages.GET_BLOCK_BODIES,
        EthMessages.BLOCK_BODIES,
        hashes.size(),
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
        hashes.size(),
        id -> new EthMessages.HashesRequest(id, hashes).encode(),
        p -> new ReceiptsResponse(EthMessages.decodeReceipts(version, p, hashes.size()).items()));
  }

  /** One eth/70 GetReceipts; {@link ReceiptsRequest70} continues the blocks it cuts short. */
  CompletableFuture<PartialReceipts.Answer> requestReceipts70(long firstIndex, List<Hash> hashes) {
    return request(
        EthMessages.GET_RECEIPTS,
        EthMessages.RECEIPTS,
        hashes.size(),
        id -> new PartialReceipts.Request(id, firstIndex, hashes).encode(),
        p -> PartialReceipts.Answer.decode(p, hashes.size()));
  }

  @SuppressWarnings("unchecked")
  private <T extends Response> CompletableFuture<T> request(
      int code,
      int responseCode,
      int max,
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
    long id = nextId.incrementAndGet();
    CompletableFuture<Response> f = new CompletableFuture<>();
    long timeoutMillis = node.config().requestTimeout().toMillis();
    ScheduledFuture<?> t =
        node.scheduler()
            .schedule(
                () -> {
                  Pending p = pending.remove(id);
                  if (p != null) {
                    p.future()
                        .completeExceptionally(
                            new EthException(
                                "no answer from "
                                    + label()
                                    + " within "
                                    + timeoutMillis / 1000
                                    + " s"));
                  }
                },
                timeoutMillis,
                TimeUnit.MILLISECONDS);
    pending.put(id, new Pending(responseCode, max, f, decoder, t));
    session
        .send(code, encoder.apply(id))
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                Pending p = pending.remove(id);
                if (p != null) {
                  t.cancel(false);
                  p.future().completeExceptionally(new EthException(sendFailure(e), e));
                }
              }
            });
    return (CompletableFuture<T>) f;
  }

  private void onResponse(int code, byte[] payload) {
    long id = EthMessages.requestId(payload);
    Pending p = pending.remove(id);
    if (p == null) {
      breach("unsolicited answer 0x" + Integer.toHexString(code) + " with request id " + id);
      return;
    }
    p.timeout().cancel(false);
    if (p.responseCode() != code) {
      p.future().completeExceptionally(new EthException("wrong answer type"));
      breach(
          "answer 0x"
              + Integer.toHexString(code)
              + " to a request expecting 0x"
              + Integer.toHexString(p.responseCode()));
      return;
    }
    Response r;
    try {
      r = p.decoder().apply(payload);
    } catch (RlpException e) {
      p.future().completeExceptionally(new EthException("malformed answer: " + e.getMessage(), e));
      throw e;
    }
    p.future().complete(r);
  }

  // -- serving ------------------------------------------------------------------------------------

  private void serveHeaders(EthMessages.HeadersRequest q) {
    ChainSource src = node.config().source();
    List<byte[]> out = new ArrayList<>();
    if (src != null) {
      long n;
      if (q.originHash() != null) {
        OptionalLong found = src.number(q.originHash());
        n = found.isPresent() ? found.getAsLong() : -1;
      } else {
        n = q.originNumber();
      }
      long amount = Math.min(q.amount(), MAX_HEADERS_SERVE);
      long bytes = 0;
      // A skip so large that the step overflows can only ever reach the origin.
      long step = q.skip() >= Long.MAX_VALUE - 1 ? Long.MAX_VALUE : q.skip() + 1;
      while (n >= 0 && out.size() < amount && bytes < SOFT_RESPONSE_LIMIT) {
        Optional<byte[]> h = src.header(n);
        if (h.isEmpty()) {
          break;
        }
        out.add(h.get());
        bytes += h.get().length;
        if (q.reverse()) {
          n = n >= step ? n - step : -1;
        } else {
          n = n > Long.MAX_VALUE - step ? -1 : n + step;
        }
      }
    }
    reply(EthMessages.BLOCK_HEADERS, EthMessages.blockHeaders(q.id(), out), out.size());
  }

  private void serveBodies(EthMessages.HashesRequest q) {
    List<byte[]> out = collect(q, ChainSource::body);
    reply(EthMessages.BLOCK_BODIES, EthMessages.blockBodies(q.id(), out), out.size());
  }

  private void serveReceipts(EthMessages.HashesRequest q) {
    // Stored in eth/69's form, which goes out as it is; eth/68 gets blooms back.
    List<byte[]> raw = collect(q, ChainSource::receipts);
    if (version >= 69) {
      reply(EthMessages.RECEIPTS, EthMessages.blockBodies(q.id(), raw), raw.size());
    } else {
      List<BlockReceipts> out = new ArrayList<>(raw.size());
      for (byte[] r : raw) {
        out.add(BlockReceipts.decode(r));
      }
      reply(EthMessages.RECEIPTS, EthMessages.receipts(version, q.id(), out), out.size());
    }
  }

  /**
   * The stored RLP of the requested blocks we have, skipping unknown hashes, until the answer
   * passes the soft size limit.
   */
  private List<byte[]> collect(
      EthMessages.HashesRequest q, BiFunction<ChainSource, Hash, Optional<byte[]>> lookup) {
    ChainSource src = node.config().source();
    List<byte[]> out = new ArrayList<>();
    long bytes = 0;
    if (src != null) {
      for (Hash h : q.hashes()) {
        if (bytes >= SOFT_RESPONSE_LIMIT) {
          break;
        }
        Optional<byte[]> item = lookup.apply(src, h);
        if (item.isPresent()) {
          out.add(item.get());
          bytes += item.get().length;
        }
      }
    }
    return out;
  }

  private void reply(int code, byte[] payload, int items) {
    long delayNanos = node.shapingDelayNanos(items);
    if (delayNanos <= 0) {
      session.send(code, payload);
    } else {
      node.scheduler()
          .schedule(() -> session.send(code, payload), delayNanos, TimeUnit.NANOSECONDS);
    }
  }

  /** Our fork id as the Status we send carries it. */
  ForkId localForkId() {
    return node.localStatus(version).forkId();
  }
}
