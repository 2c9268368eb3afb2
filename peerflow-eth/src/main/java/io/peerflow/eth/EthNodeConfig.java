package io.peerflow.eth;

import io.peerflow.chain.config.ChainConfig;
import io.peerflow.chain.source.ChainSource;
import io.peerflow.rlpx.NodeKey;
import io.peerflow.rlpx.RlpxConfig;
import io.peerflow.rlpx.RlpxObserver;
import io.peerflow.time.Timer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of an {@link EthNode}: identity, chain, what it serves and how. Immutable; built with
 * {@link #builder}.
 */
public final class EthNodeConfig {

  /**
   * How long a peer has to send its Status after the RLPx session is up; go-ethereum allows 5 s.
   */
  static final Duration DEFAULT_STATUS_TIMEOUT = Duration.ofSeconds(10);

  /**
   * The transport's own ceiling on waiting for an answer. Deliberately above the fetch scheduler's
   * two-minute grace period: the scheduler times requests out itself and drops a stalling peer
   * first; this only keeps a forgotten request from waiting forever.
   */
  static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(150);

  /**
   * How often a serving node looks at its source's head to decide on an eth/69 BlockRangeUpdate. A
   * source gives no head events, so this is a poll; one mainnet slot, the fastest the head of a
   * real chain moves, so an announcement due after 32 blocks is at most a slot late.
   */
  static final Duration DEFAULT_RANGE_CHECK_INTERVAL = Duration.ofSeconds(12);

  private final NodeKey nodeKey;
  private final String clientId;
  private final ChainConfig chain;
  private final ChainSource source;
  private final List<Integer> versions;
  private final InetSocketAddress listen;
  private final Serving serving;
  private final Timer timer;
  private final int servingThreads;
  private final RlpxConfig.Limits limits;
  private final Duration idleTimeout;
  private final Duration handshakeTimeout;
  private final Duration statusTimeout;
  private final Duration requestTimeout;
  private final int maxMessageSize;
  private final Duration rangeCheckInterval;
  private final ServingObserver servingObserver;
  private final RlpxObserver rlpxObserver;

  private EthNodeConfig(Builder b) {
    this.nodeKey = Objects.requireNonNull(b.nodeKey, "nodeKey");
    this.clientId = b.clientId;
    this.chain = Objects.requireNonNull(b.chain, "chain");
    this.source = b.source;
    this.versions = List.copyOf(b.versions);
    this.listen = b.listen;
    this.serving = b.serving;
    this.timer = b.timer;
    this.servingThreads = b.servingThreads;
    this.limits = b.limits;
    this.idleTimeout = b.idleTimeout;
    this.handshakeTimeout = b.handshakeTimeout;
    this.statusTimeout = b.statusTimeout;
    this.requestTimeout = b.requestTimeout;
    this.maxMessageSize = b.maxMessageSize;
    this.rangeCheckInterval = b.rangeCheckInterval;
    this.servingObserver = b.servingObserver;
    this.rlpxObserver = b.rlpxObserver;
  }

  /** A builder for a node with this key on this chain. */
  public static Builder builder(NodeKey nodeKey, ChainConfig chain) {
    return new Builder(nodeKey, chain);
  }

  public NodeKey nodeKey() {
    return nodeKey;
  }

  public String clientId() {
    return clientId;
  }

  public ChainConfig chain() {
    return chain;
  }

  /** What the node serves, or null to serve nothing (a pure downloader). */
  public ChainSource source() {
    return source;
  }

  public List<Integer> versions() {
    return versions;
  }

  /** Where to listen, or null not to. */
  public InetSocketAddress listen() {
    return listen;
  }

  /**
   * How requests are answered, or null for the default: from {@link #source()} ({@link
   * Serving#of}).
   */
  public Serving serving() {
    return serving;
  }

  /** How many peers the node holds: inbound and outbound apart, per IP, handshakes at once. */
  public RlpxConfig.Limits limits() {
    return limits;
  }

  /**
   * How long a connection may deliver no whole message (nothing, or one frame dribbled or stopped
   * midway) before it is dropped.
   */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** How long the transport's handshake, from TCP connect to the peer's Hello, may take. */
  public Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  /** The worker threads that answer peers' requests, shared fairly by every connection. */
  public int servingThreads() {
    return servingThreads;
  }

  /** The timer deadlines and periodic checks run on, or null for a system timer of the node's. */
  public Timer timer() {
    return timer;
  }

  public Duration statusTimeout() {
    return statusTimeout;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** The largest message accepted from a peer, in bytes, compressed or not. */
  public int maxMessageSize() {
    return maxMessageSize;
  }

  /** How often the source's head is checked for a BlockRangeUpdate to eth/69 peers. */
  public Duration rangeCheckInterval() {
    return rangeCheckInterval;
  }

  /** What the node tells about each answer it sends; {@link ServingObserver#NONE} by default. */
  public ServingObserver servingObserver() {
    return servingObserver;
  }

  /**
   * What the node's RLPx host tells about its connections; {@link RlpxObserver#NONE} by default.
   */
  public RlpxObserver rlpxObserver() {
    return rlpxObserver;
  }

  /** Collects settings; not thread-safe. */
  public static final class Builder {
    private final NodeKey nodeKey;
    private final ChainConfig chain;
    private String clientId = "peerflow/0.1.0/java" + Runtime.version().feature();
    private ChainSource source;
    private List<Integer> versions = List.of(68, 69, 70);
    private InetSocketAddress listen;
    private Serving serving;
    private Timer timer;
    // One per core: serving reads the source and encodes, which is CPU work, and a RocksDB read
    // that waits on the disk leaves the others running; at least two so that one slow read does
    // not stop every answer.
    private int servingThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
    private RlpxConfig.Limits limits = RlpxConfig.Limits.DEFAULT;
    private Duration idleTimeout = RlpxConfig.DEFAULT_IDLE_TIMEOUT;
    private Duration handshakeTimeout = RlpxConfig.DEFAULT_HANDSHAKE_TIMEOUT;
    private Duration statusTimeout = DEFAULT_STATUS_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private int maxMessageSize = RlpxConfig.DEFAULT_MAX_MESSAGE_SIZE;
    private Duration rangeCheckInterval = DEFAULT_RANGE_CHECK_INTERVAL;
    private ServingObserver servingObserver = ServingObserver.NONE;
    private RlpxObserver rlpxObserver = RlpxObserver.NONE;

    private Builder(NodeKey nodeKey, ChainConfig chain) {
      this.nodeKey = nodeKey;
      this.chain = chain;
    }

    public Builder clientId(String v) {
      clientId = Objects.requireNonNull(v);
      return this;
    }

    public Builder source(ChainSource v) {
      source = v;
      return this;
    }

    public Builder listen(InetSocketAddress v) {
      listen = v;
      return this;
    }

    /**
     * Answers requests through {@code v} instead of straight from the source: how a local test
     * network wraps serving in a {@link ShapedServing}. The source is still what Status and
     * BlockRangeUpdate announce, so it must be set too.
     */
    public Builder serving(Serving v) {
      serving = Objects.requireNonNull(v);
      return this;
    }

    /** See {@link EthNodeConfig#limits()}. */
    public Builder limits(RlpxConfig.Limits v) {
      limits = Objects.requireNonNull(v);
      return this;
    }

    /** See {@link EthNodeConfig#idleTimeout()}; 30 s by default, as go-ethereum's frame reads. */
    public Builder idleTimeout(Duration v) {
      if (v.isNegative() || v.isZero()) {
        throw new IllegalArgumentException("idleTimeout must be positive: " + v);
      }
      idleTimeout = v;
      return this;
    }

    /** See {@link EthNodeConfig#handshakeTimeout()}; 5 s by default, as go-ethereum. */
    public Builder handshakeTimeout(Duration v) {
      if (v.isNegative() || v.isZero()) {
        throw new IllegalArgumentException("handshakeTimeout must be positive: " + v);
      }
      handshakeTimeout = v;
      return this;
    }

    /** The number of worker threads that answer peers' requests. */
    public Builder servingThreads(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("servingThreads must be at least 1: " + n);
      }
      servingThreads = n;
      return this;
    }

    /**
     * Runs the node's deadlines (Status, requests) and periodic checks on {@code v}: a {@link
     * io.peerflow.time.VirtualTime} in tests. The node does not close a timer it is given.
     */
    public Builder timer(Timer v) {
      timer = Objects.requireNonNull(v);
      return this;
    }

    public Builder statusTimeout(Duration v) {
      statusTimeout = v;
      return this;
    }

    public Builder requestTimeout(Duration v) {
      requestTimeout = v;
      return this;
    }

    /**
     * Caps what one peer message may make us hold (16 MiB, the protocol's ceiling, by default). An
     * embedder short of memory can lower it; a peer whose answer would pass it is dropped, so it
     * should stay well above the 2 MiB that serving nodes aim their answers at.
     */
    public Builder maxMessageSize(int bytes) {
      if (bytes < 1024 || bytes > RlpxConfig.DEFAULT_MAX_MESSAGE_SIZE) {
        throw new IllegalArgumentException(
            "maxMessageSize must be in 1024.."
                + RlpxConfig.DEFAULT_MAX_MESSAGE_SIZE
                + ": "
                + bytes);
      }
      maxMessageSize = bytes;
      return this;
    }

    public Builder rangeCheckInterval(Duration v) {
      if (v.isNegative() || v.isZero()) {
        throw new IllegalArgumentException("rangeCheckInterval must be positive: " + v);
      }
      rangeCheckInterval = v;
      return this;
    }

    /** The eth versions offered, each 68, 69 or 70; peers settle on the highest both offer. */
    public Builder versions(List<Integer> v) {
      if (v.isEmpty() || !v.stream().allMatch(x -> x >= 68 && x <= 70)) {
        throw new IllegalArgumentException("eth versions must be among 68, 69 and 70: " + v);
      }
      versions = List.copyOf(v);
      return this;
    }

    /** See {@link EthNodeConfig#servingObserver()}. */
    public Builder servingObserver(ServingObserver v) {
      servingObserver = Objects.requireNonNull(v);
      return this;
    }

    /** See {@link EthNodeConfig#rlpxObserver()}. */
    public Builder rlpxObserver(RlpxObserver v) {
      rlpxObserver = Objects.requireNonNull(v);
      return this;
    }

    public EthNodeConfig build() {
      if (serving != null && source == null) {
        throw new IllegalArgumentException(
            "a node given a serving must have a source too: its head is what Status announces");
      }
      return new EthNodeConfig(this);
    }
  }
}
