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
import java.math.BigInteger;
import java.net.ConnectException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Ethereum node speaking eth/68, eth/69 and eth/70 over RLPx: dials peers and accepts them,
 * checks their Status against its chain, answers their requests from a {@link ChainSource}, and
 * hands out each established peer as an {@link EthPeer} for the downloader.
 *
 * <p>Thread-safe. {@link #close()} disconnects every peer and stops the node's threads.
 */
public final class EthNode implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EthNode.class);

  /**
   * How far the head must advance before eth/69 peers hear of it: go-ethereum's rule, so that a
   * node does not send an update for every block. A head that moves back (a rewind) is announced at
   * once, since peers would otherwise ask for blocks we no longer serve.
   */
  static final long RANGE_ANNOUNCE_BLOCKS = 32;

  private final EthNodeConfig config;
  private final ForkSchedule forkSchedule;
  private final RlpxHost host;
  private final ScheduledExecutorService scheduler;
  private final Map<Connection, CompletableFuture<EthSession>> sessions = new ConcurrentHashMap<>();
  private final Map<String, EthPeer> peers = new ConcurrentHashMap<>();
  private final List<Consumer<EthPeer>> joinListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<EthPeer>> leaveListeners = new CopyOnWriteArrayList<>();

  /** Nanos (on System.nanoTime) at which the shaping budget is next free. */
  private long budgetFreeAt;

  private final Object budgetLock = new Object();

  /** The range last announced to eth/69 peers; touched only by the scheduler's one thread. */
  private EthMessages.BlockRange announced;

  private EthNode(EthNodeConfig config) {
    this.config = config;
    this.forkSchedule = ForkSchedule.of(config.chain());
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "peerflow-eth-timer");
              t.setDaemon(true);
              return t;
            });
    RlpxConfig.Builder rb =
        RlpxConfig.builder(config.nodeKey())
            .clientId(config.clientId())
            .maxMessageSize(config.maxMessageSize());
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
    ChainSource src = config.source();
    if (src != null) {
      announced = rangeOf(src);
      long every = config.rangeCheckInterval().toMillis();
      scheduler.scheduleWithFixedDelay(
          this::announceRangeIfDue, every, every, TimeUnit.MILLISECONDS);
    }
  }

  private static EthMessages.BlockRange rangeOf(ChainSource src) {
    BlockHeader head = src.head();
    return new EthMessages.BlockRange(
        Math.min(src.earliest(), head.number()), head.number(), head.hash());
  }

  private void announceRangeIfDue() {
    try {
      EthMessages.BlockRange now = rangeOf(config.source());
      boolean due =
          now.latest() < announced.latest()
              || now.latest() - announced.latest() >= RANGE_ANNOUNCE_BLOCKS;
      if (due) {
        for (EthPeer p : peers.values()) {
          p.announce(now);
        }
        announced = now;
      }
    } catch (RuntimeException e) {
      // A source that fails now may answer next time; an exception would end the periodic task.
      LOG.warn("Cannot read the served chain's head for a BlockRangeUpdate: {}", e.toString());
    }
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
                Throwable c = unwrap(e);
                throw new EthException("peer " + who + ": " + words(c), c);
              }
              return p;
            });
  }

  /** The failure a future's exception stands for. */
  static Throwable unwrap(Throwable e) {
    return Failures.unwrap(e);
  }

  /** A failure in words: its message, or its type when it has none. */
  static String words(Throwable t) {
    return Failures.describe(t);
  }

  private static String dialError(String who, Throwable e) {
    Throwable c = unwrap(e);
    if (c instanceof ConnectException) {
      return "cannot reach " + who + ": " + c.getMessage();
    }
    if (c instanceof DisconnectedException d) {
      return "peer " + who + " ended the session: " + d.disconnection();
    }
    return "cannot connect to " + who + ": " + words(c);
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
    host.close();
    scheduler.shutdownNow();
  }

  // -- for sessions -------------------------------------------------------------------------------

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  ForkSchedule forkSchedule() {
    return forkSchedule;
  }

  BlockHeader localHead() {
    ChainSource src = config.source();
    if (src != null) {
      return src.head();
    }
    return config.chain().genesisHeader().orElse(null) == null
        ? null
        : config.chain().genesisHeader().get();
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

  /** How long to hold a reply of {@code items} items under the node's shaping. */
  long shapingDelayNanos(int items) {
    Shaping s = config.shaping();
    long latency = s.latency().toNanos();
    if (s.itemsPerSecond() <= 0) {
      return latency;
    }
    long now = System.nanoTime();
    long cost = (long) (items * 1e9 / s.itemsPerSecond());
    long ready;
    synchronized (budgetLock) {
      long start = Math.max(now, budgetFreeAt);
      ready = start + cost;
      budgetFreeAt = ready;
    }
    return (ready - now) + latency;
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

  static void schedule(ScheduledExecutorService s, Runnable r, long millis) {
    s.schedule(r, millis, TimeUnit.MILLISECONDS);
  }
}
