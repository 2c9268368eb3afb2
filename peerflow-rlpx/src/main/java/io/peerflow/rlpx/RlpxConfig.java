package io.peerflow.rlpx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Settings of an {@link RlpxHost} (identity, supported subprotocols, timeouts, limits); immutable
 * and thread-safe once built.
 *
 * <p>Built with {@link #builder(NodeKey)}. Every timeout is configurable so tests can run the real
 * timer logic in milliseconds.
 */
public final class RlpxConfig {

  /**
   * rlpx.md: "Messages carrying uncompressed data larger than 16 MiB should be rejected". Also the
   * largest frame: the 24-bit frame-size field cannot exceed it anyway.
   */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024 * 1024;

  /**
   * Time from TCP connect to the peer's Hello. go-ethereum allows 5 s for the same span; an honest
   * peer needs a few round trips and two ECDH computations, far less.
   */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);

  /** go-ethereum pings every 15 s; peers expect that rhythm. */
  public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(15);

  /**
   * A session that received nothing (not even a Pong to our pings) for this long is dead. Two ping
   * intervals, as go-ethereum's frame read timeout, so one lost ping does not kill it.
   */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

  /**
   * After sending Disconnect, how long to wait for the peer to close before closing ourselves.
   * rlpx.md: "well-behaved hosts give their peers a fighting chance (read: wait 2 seconds)".
   */
  public static final Duration DEFAULT_DISCONNECT_LINGER = Duration.ofSeconds(2);

  /** TCP connect timeout for dials; go-ethereum's default dial timeout is 15 s. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(15);

  private final NodeKey nodeKey;
  private final String clientId;
  private final List<Subprotocol> subprotocols;
  private final Duration handshakeTimeout;
  private final Duration pingInterval;
  private final Duration idleTimeout;
  private final Duration disconnectLinger;
  private final Duration connectTimeout;
  private final int maxMessageSize;
  private final int eventLoopThreads;
  private final Consumer<Connection> connectionListener;
  private final Limits limits;
  private final RlpxObserver observer;

  /**
   * How many connections a host holds (see {@link ConnectionLimits}).
   *
   * @param maxInboundPeers established connections peers dialled in
   * @param maxOutboundPeers connections we dialled, established or not
   * @param maxPeersPerIp inbound connections from one IP address, established or not
   * @param maxPendingHandshakes inbound connections not yet past Hello
   */
  public record Limits(
      int maxInboundPeers, int maxOutboundPeers, int maxPeersPerIp, int maxPendingHandshakes) {

    /**
     * go-ethereum's default of 50 peers each way. Eight connections from one address leave room for
     * a few nodes behind one NAT (and for local test networks) while a single host cannot take all
     * slots. Sixteen handshakes at once: an honest peer needs one, for well under a second, so
     * sixteen serve a crowd of newcomers while a flood of them costs at most sixteen handshakes'
     * work at a time.
     */
    public static final Limits DEFAULT = new Limits(50, 50, 8, 16);

    public Limits {
      if (maxInboundPeers < 0 || maxOutboundPeers < 0 || maxPeersPerIp < 1) {
        throw new IllegalArgumentException("peer limits cannot be negative (or 0 per IP)");
      }
      if (maxPendingHandshakes < 1) {
        throw new IllegalArgumentException("maxPendingHandshakes must be at least 1");
      }
    }
  }

  private RlpxConfig(Builder b) {
    this.nodeKey = b.nodeKey;
    this.clientId = b.clientId;
    this.subprotocols = List.copyOf(b.subprotocols);
    this.handshakeTimeout = b.handshakeTimeout;
    this.pingInterval = b.pingInterval;
    this.idleTimeout = b.idleTimeout;
    this.disconnectLinger = b.disconnectLinger;
    this.connectTimeout = b.connectTimeout;
    this.maxMessageSize = b.maxMessageSize;
    this.eventLoopThreads = b.eventLoopThreads;
    this.connectionListener = b.connectionListener;
    this.limits = b.limits;
    this.observer = b.observer;
  }

  /** A builder with every other setting at its default. */
  public static Builder builder(NodeKey nodeKey) {
    return new Builder(nodeKey);
  }

  public NodeKey nodeKey() {
    return nodeKey;
  }

  public String clientId() {
    return clientId;
  }

  public List<Subprotocol> subprotocols() {
    return subprotocols;
  }

  public Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  public Duration pingInterval() {
    return pingInterval;
  }

  public Duration idleTimeout() {
    return idleTimeout;
  }

  public Duration disconnectLinger() {
    return disconnectLinger;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public int maxMessageSize() {
    return maxMessageSize;
  }

  public int eventLoopThreads() {
    return eventLoopThreads;
  }

  /** Called on every newly established connection, inbound or outbound, on its event loop. */
  public Consumer<Connection> connectionListener() {
    return connectionListener;
  }

  /** How many connections the host holds. */
  public Limits limits() {
    return limits;
  }

  /** What the host reports its connections' events to; {@link RlpxObserver#NONE} by default. */
  public RlpxObserver observer() {
    return observer;
  }

  /** Builds an {@link RlpxConfig}. Not thread-safe. */
  public static final class Builder {
    private final NodeKey nodeKey;
    private String clientId = "peerflow";
    private final List<Subprotocol> subprotocols = new ArrayList<>();
    private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    private Duration pingInterval = DEFAULT_PING_INTERVAL;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private Duration disconnectLinger = DEFAULT_DISCONNECT_LINGER;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
    // Two loops serve many peers: the work per message is small next to the network wait.
    private int eventLoopThreads = Math.min(2, Runtime.getRuntime().availableProcessors());
    private Consumer<Connection> connectionListener = c -> {};
    private Limits limits = Limits.DEFAULT;
    private RlpxObserver observer = RlpxObserver.NONE;

    private Builder(NodeKey nodeKey) {
      this.nodeKey = Objects.requireNonNull(nodeKey, "nodeKey");
    }

    /** The client id sent in Hello. */
    public Builder clientId(String clientId) {
      this.clientId = Objects.requireNonNull(clientId, "clientId");
      return this;
    }

    /** Adds a supported capability; (name, version) pairs must be unique. */
    public Builder subprotocol(Capability capability, ProtocolHandlerFactory factory) {
      subprotocols.add(new Subprotocol(capability, factory));
      return this;
    }

    public Builder handshakeTimeout(Duration d) {
      this.handshakeTimeout = positive("handshakeTimeout", d);
      return this;
    }

    public Builder pingInterval(Duration d) {
      this.pingInterval = positive("pingInterval", d);
      return this;
    }

    public Builder idleTimeout(Duration d) {
      this.idleTimeout = positive("idleTimeout", d);
      return this;
    }

    /** Zero closes right after the Disconnect message is written. */
    public Builder disconnectLinger(Duration d) {
      Objects.requireNonNull(d, "disconnectLinger");
      if (d.isNegative()) {
        throw new IllegalArgumentException("disconnectLinger must not be negative: " + d);
      }
      this.disconnectLinger = d;
      return this;
    }

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = positive("connectTimeout", d);
      return this;
    }

    /**
     * Largest frame and largest uncompressed message, in bytes; at most (and by default) {@link
     * #DEFAULT_MAX_MESSAGE_SIZE}. Lower values are for tests and constrained embedders.
     */
    public Builder maxMessageSize(int bytes) {
      if (bytes < 1024 || bytes > DEFAULT_MAX_MESSAGE_SIZE) {
        throw new IllegalArgumentException(
            "maxMessageSize must be in 1024.." + DEFAULT_MAX_MESSAGE_SIZE + ": " + bytes);
      }
      this.maxMessageSize = bytes;
      return this;
    }

    public Builder eventLoopThreads(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("eventLoopThreads must be at least 1: " + n);
      }
      this.eventLoopThreads = n;
      return this;
    }

    /** See {@link RlpxConfig#connectionListener()}. */
    public Builder onConnection(Consumer<Connection> listener) {
      this.connectionListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** See {@link Limits}. */
    public Builder limits(Limits l) {
      this.limits = Objects.requireNonNull(l, "limits");
      return this;
    }

    /** See {@link RlpxConfig#observer()}. */
    public Builder observer(RlpxObserver o) {
      this.observer = Objects.requireNonNull(o, "observer");
      return this;
    }

    public RlpxConfig build() {
      Set<String> seen = new HashSet<>();
      for (Subprotocol s : subprotocols) {
        if (!seen.add(s.capability().toString())) {
          throw new IllegalArgumentException("capability " + s.capability() + " added twice");
        }
      }
      return new RlpxConfig(this);
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
      return d;
    }
  }
}
