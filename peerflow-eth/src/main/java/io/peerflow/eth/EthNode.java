package io.peerflow.eth;

import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.source.ChainSource;
import io.peerflow.concurrent.Failures;
import io.peerflow.eth.forkid.ForkSchedule;
import io.peerflow.eth.wire.EthMessages;
import io.peerflow.eth.wire.Status;
import io.peerflow.rlpx.Capability;
import io.peerflow.rlpx.Connection;
import io.peerflow.rlpx.DisconnectReason;
import io.peerflow.rlpx.DisconnectedException;
import io.peerflow.rlpx.Enode;
import io.peerflow.rlpx.RlpxConfig;
import io.peerflow.rlpx.RlpxHost;
import io.peerflow.time.SystemTimer;
import io.peerflow.time.Timer;
import java.math.BigInteger;
import java.net.ConnectException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * An Ethereum node speaking eth/68, eth/69 and eth/70 over RLPx: dials peers and accepts them,
 * checks their Status against its chain, answers their requests through its {@link Serving} (by
 * default from its {@link ChainSource}), and hands out each established peer as an {@link EthPeer}
 * for the downloader.
 *
 * <p>Thread-safe. Deadlines and the periodic look at the source's head run on the config's {@link
 * Timer} (a system timer of the node's own when none is given). {@link #close()} disconnects every
 * peer and stops what the node started.
 */
public final class EthNode implements AutoCloseable {

  private final EthNodeConfig config;
  private final ForkSchedule forkSchedule;
  private final Serving serving;
  private final Timer timer;
  private final SystemTimer ownTimer;
  private final RlpxHost host;
  private final Map<Connection, CompletableFuture<EthSession>> sessions = new ConcurrentHashMap<>();
  private final Map<String, EthPeer> peers = new ConcurrentHashMap<>();
  private final List<Consumer<EthPeer>> joinListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<EthPeer>> leaveListeners = new CopyOnWriteArrayList<>();
  private final RangeAnnouncer announcer;
  private final ServingPool servingPool;

  private EthNode(EthNodeConfig config) {
    this.config = config;
    this.forkSchedule = ForkSchedule.of(config.chain());
    this.serving = config.serving() != null ? config.serving() : Serving.of(config.source());
    if (config.timer() != null) {
      this.timer = config.timer();
      this.ownTimer = null;
    } else {
      this.ownTimer = new SystemTimer("peerflow-eth-timer");
      this.timer = ownTimer;
    }
    this.servingPool = new ServingPool(config.servingThreads());
    RlpxConfig.Builder rb =
        RlpxConfig.builder(config.nodeKey())
            .clientId(config.clientId())
            .maxMessageSize(config.maxMessageSize())
            .limits(config.limits())
            .observer(config.rlpxObserver())
            .idleTimeout(config.idleTimeout())
            .handshakeTimeout(config.handshakeTimeout())
            // Pings keep an idle honest peer's connection alive: at least two per idle timeout.
            .pingInterval(min(RlpxConfig.DEFAULT_PING_INTERVAL, config.idleTimeout().dividedBy(2)));
    for (int v : config.versions()) {
      rb.subprotocol(
          new Capability("eth", v, EthMessages.messageSpace(v)),
          session -> {
            EthSession s = new EthSession(this, session);
            sessions
                .computeIfAbsent(session.connection(), c -> new CompletableFuture<>())
                .complete(s);
            session.connection().onClose(d -> sessions.remove(session.connection()));
            s.ready.thenAccept(this::peerReady);
            return s;
          });
    }
    this.host = RlpxHost.start(rb.build());
    this.announcer =
        config.source() == null
            ? null
            : new RangeAnnouncer(
                config.source(),
                timer,
                config.rangeCheckInterval().toNanos(),
                range -> peers.values().forEach(p -> p.announce(range)));
  }

  private static java.time.Duration min(java.time.Duration a, java.time.Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Starts a node, listening if the config says where. */
  public static EthNode start(EthNodeConfig config) {
    EthNode node = new EthNode(config);
    if (config.listen() != null) {
      try {
        node.host.listen(config.listen()).join();
      } catch (CompletionException e) {
        node.close();
        throw new EthException(
            "cannot listen on " + config.listen() + ": " + e.getCause().getMessage(), e.getCause());
      }
    }
    return node;
  }

  /**
   * Connects to {@code enode} and completes once its Status matched ours; fails with an {@link
   * EthException} saying why not (unreachable, handshake failed, no eth, other network).
   */
  public CompletableFuture<EthPeer> dial(Enode enode) {
    String who = enode.host() + ":" + enode.tcpPort();
    return host.dial(enode)
        .handle(
            (conn, e) -> {
              if (e != null) {
                throw new EthException(dialError(who, e), e);
              }
              boolean eth =
                  conn.sharedCapabilities().stream().anyMatch(c -> c.name().equals("eth"));
              if (!eth) {
                conn.disconnect(DisconnectReason.USELESS_PEER);
                throw new EthException(
                    "peer "
                        + who
                        + " does not speak eth/68, 69 or 70 (it offers "
                        + conn.remoteCapabilities()
                        + ")");
              }
              return sessions.computeIfAbsent(conn, c -> new CompletableFuture<>());
            })
        .thenCompose(f -> f)
        .thenCompose(s -> s.ready)
        .handle(
            (p, e) -> {
              if (e != null) {
                Throwable c = Failures.unwrap(e);
                throw new EthException("peer " + who + ": " + Failures.describe(c), c);
              }
              return p;
            });
  }

  private static String dialError(String who, Throwable e) {
    Throwable c = Failures.unwrap(e);
    if (c instanceof ConnectException) {
      return "cannot reach " + who + ": " + c.getMessage();
    }
    if (c instanceof DisconnectedException d) {
      return "peer " + who + " ended the session: " + d.disconnection();
    }
    return "cannot connect to " + who + ": " + Failures.describe(c);
  }

  /** Calls {@code listener} for every peer whose Status matched, dialled or accepted. */
  public void onPeer(Consumer<EthPeer> listener) {
    joinListeners.add(listener);
  }

  /** Calls {@code listener} when an established peer's connection ends. */
  public void onPeerLeft(Consumer<EthPeer> listener) {
    leaveListeners.add(listener);
  }

  /** The established peers now. */
  public List<EthPeer> peers() {
    return List.copyOf(peers.values());
  }

  /** Established inbound peers and inbound handshakes in progress now. */
  public int inboundPeers() {
    return host.inboundPeers() + host.pendingHandshakes();
  }

  /** Where this node listens, as an enode URL. */
  public Optional<Enode> enode() {
    return host.localEnode();
  }

  /** The node's settings. */
  public EthNodeConfig config() {
    return config;
  }

  @Override
  public void close() {
    if (announcer != null) {
      announcer.stop();
    }
    host.close();
    servingPool.close();
    if (ownTimer != null) {
      ownTimer.close();
    }
  }

  // -- for sessions -------------------------------------------------------------------------------

  Timer timer() {
    return timer;
  }

  Serving serving() {
    return serving;
  }

  ServingPool servingPool() {
    return servingPool;
  }

  ForkSchedule forkSchedule() {
    return forkSchedule;
  }

  /** The head we serve: the source's, or the genesis when we serve nothing; null if unknown. */
  BlockHeader localHead() {
    ChainSource src = config.source();
    if (src != null) {
      return src.head();
    }
    return config.chain().genesisHeader().orElse(null);
  }

  /** The Status we send on {@code version}: our head (the source's, or the genesis) and fork id. */
  Status localStatus(int version) {
    ChainSource src = config.source();
    BlockHeader head = src != null ? src.head() : null;
    long number = head == null ? 0 : head.number();
    long time =
        head == null
            ? config.chain().genesisHeader().map(BlockHeader::timestamp).orElse(0L)
            : head.timestamp();
    var headHash = head == null ? config.chain().genesisHash() : head.hash();
    long earliest = src == null ? 0 : src.earliest();
    // Total difficulty has not ordered chains since the merge, and a store holding a range that
    // does not start at genesis cannot know it; eth/68 peers only weigh it when choosing whom to
    // sync a pre-merge chain from, so a zero makes us the last choice there, never an error.
    return new Status(
        version,
        config.chain().networkId(),
        BigInteger.ZERO,
        headHash,
        config.chain().genesisHash(),
        forkSchedule.forkId(number, time),
        earliest,
        number);
  }

  private void peerReady(EthPeer p) {
    peers.put(p.id(), p);
    for (Consumer<EthPeer> l : joinListeners) {
      l.accept(p);
    }
  }

  void sessionClosed(EthPeer p) {
    if (peers.remove(p.id(), p)) {
      for (Consumer<EthPeer> l : leaveListeners) {
        l.accept(p);
      }
    }
  }
}
