package io.peerflow.rlpx;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import io.netty.util.concurrent.ScheduledFuture;
import io.peerflow.rlp.RlpException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an RLPx pipeline: the "p2p" base protocol (Hello, Disconnect, Ping, Pong),
 * the connection's timers, and dispatch of capability messages to their {@link ProtocolHandler}s by
 * message-id range.
 *
 * <p>Lifecycle: HANDSHAKE (until the handshake handler reports {@link HandshakeCompleted}; we then
 * send Hello) → AWAITING_HELLO (only Hello or Disconnect accepted) → ACTIVE (Hello received,
 * capabilities negotiated, handlers open) → CLOSING (Disconnect sent or received) → CLOSED. Every
 * error of the pipeline ends up in {@link #exceptionCaught} and becomes a disconnect with a reason;
 * nothing propagates past this handler. Each connection's end is logged as one INFO line on the
 * logger {@value #DISCONNECT_LOGGER}.
 *
 * <p>Threading: all state is touched on the channel's event loop only; the few methods other
 * threads call ({@link #requestDisconnect}, {@link #requestPing}, {@link #isActive}) hop onto it or
 * read the volatile state. Longer than most classes because the base protocol's states and timers
 * interlock; the connection object and the codecs live elsewhere.
 */
final class SessionHandler extends ChannelDuplexHandler {

  /** This handler's name in the pipeline. */
  static final String NAME = "rlpx-session";

  /** The logger that records every disconnect, one line each, so it can be tuned on its own. */
  static final String DISCONNECT_LOGGER = "io.peerflow.rlpx.disconnect";

  private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);
  private static final Logger disconnects = LoggerFactory.getLogger(DISCONNECT_LOGGER);

  enum State {
    HANDSHAKE,
    AWAITING_HELLO,
    ACTIVE,
    CLOSING,
    CLOSED
  }

  private record Binding(CapabilityNegotiation.Shared shared, ProtocolHandler handler) {}

  private record PendingPing(long sentNanos, CompletableFuture<Duration> result) {}

  private final RlpxConfig config;
  private final boolean initiator;
  private final IntSupplier listenPort;
  private final CompletableFuture<Connection> established;
  private final Consumer<Connection> onEstablished;
  private final Supplier<String> admission;
  private final CompletableFuture<Disconnection> closeFuture = new CompletableFuture<>();

  private volatile State state = State.HANDSHAKE;
  private ChannelHandlerContext ctx;
  private boolean started;
  private NodeId remoteId;
  private RlpxConnection connection;
  private final List<Binding> bindings = new ArrayList<>();
  private final ArrayDeque<PendingPing> pings = new ArrayDeque<>();
  private long lastReadNanos;
  private Disconnection disconnection;

  /** Whether the observer was told this session started, so its end is a session's end. */
  private boolean startObserved;

  /** The state in which the connection started to end, for the disconnect log line. */
  private State endedIn;

  private ScheduledFuture<?> handshakeTimer;
  private ScheduledFuture<?> pingTimer;
  private ScheduledFuture<?> idleTimer;

  /**
   * @param listenPort the port to advertise in Hello (legacy field; 0 when not listening)
   * @param established completed with the connection after the Hello exchange, or failed with
   *     {@link DisconnectedException} if the connection ends first
   * @param onEstablished called with the connection just before {@code established} completes
   */
  SessionHandler(
      RlpxConfig config,
      boolean initiator,
      IntSupplier listenPort,
      CompletableFuture<Connection> established,
      Consumer<Connection> onEstablished) {
    this(config, initiator, listenPort, established, onEstablished, () -> null);
  }

  /**
   * @param admission asked once the peer's Hello is valid, before any subprotocol opens: null to
   *     take the peer, or why not (the host's peer limit), which ends the session with {@link
   *     DisconnectReason#TOO_MANY_PEERS}
   */
  SessionHandler(
      RlpxConfig config,
      boolean initiator,
      IntSupplier listenPort,
      CompletableFuture<Connection> established,
      Consumer<Connection> onEstablished,
      Supplier<String> admission) {
    this.config = config;
    this.initiator = initiator;
    this.listenPort = listenPort;
    this.established = established;
    this.onEstablished = onEstablished;
    this.admission = admission;
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (ctx.channel().isActive()) {
      start();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    start();
    super.channelActive(ctx);
  }

  /** The handshake timeout covers everything from TCP connect to the peer's Hello. */
  private void start() {
    if (started) {
      return;
    }
    started = true;
    lastReadNanos = now();
    Duration t = config.handshakeTimeout();
    handshakeTimer =
        ctx.executor()
            .schedule(
                () ->
                    disconnect(
                        DisconnectReason.PING_TIMEOUT,
                        "handshake timeout: no Hello within " + t.toMillis() + " ms"),
                t.toNanos(),
                TimeUnit.NANOSECONDS);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof HandshakeCompleted done) {
      onHandshakeCompleted(done.remoteId());
    } else {
      super.userEventTriggered(ctx, evt);
    }
  }

  private void onHandshakeCompleted(NodeId remote) {
    if (state != State.HANDSHAKE) {
      return;
    }
    remoteId = remote;
    state = State.AWAITING_HELLO;
    if (remote.equals(config.nodeKey().id())) {
      disconnect(DisconnectReason.SELF_CONNECTION, "peer has our own node id");
      return;
    }
    List<Hello.Cap> caps = new ArrayList<>();
    for (Subprotocol s : config.subprotocols()) {
      caps.add(new Hello.Cap(s.capability().name(), s.capability().version()));
    }
    Hello hello =
        new Hello(
            BaseProtocol.VERSION,
            config.clientId(),
            caps,
            listenPort.getAsInt(),
            config.nodeKey().id().rawBytes());
    ctx.writeAndFlush(new RlpxMessage(BaseProtocol.HELLO, hello.encode()));
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    State before = state;
    state = State.CLOSED;
    cancelTimers();
    if (endedIn == null) {
      endedIn = before;
    }
    if (disconnection == null) {
      disconnection =
          new Disconnection(
              DisconnectReason.TCP_ERROR,
              true,
              before == State.HANDSHAKE
                  ? "connection closed during the handshake"
                  : "connection closed by peer");
    }
    disconnects.info(
        "disconnect peer={} addr={} reason={} byRemote={} state={} detail={}",
        remoteId == null ? "unknown" : remoteId.shortHex(),
        ctx.channel().remoteAddress(),
        disconnection.reason(),
        disconnection.byRemote(),
        endedIn,
        disconnection.detail());
    observe(
        startObserved
            ? () -> config.observer().sessionEnded(disconnection.reason(), disconnection.byRemote())
            : () ->
                config
                    .observer()
                    .handshakeFailed(disconnection.reason(), disconnection.byRemote()));
    DisconnectedException closed = new DisconnectedException(disconnection);
    for (PendingPing p : pings) {
      if (p.result() != null) {
        p.result().completeExceptionally(closed);
      }
    }
    pings.clear();
    for (Binding b : bindings) {
      try {
        b.handler()
            .onDisconnect(disconnection.reason(), disconnection.byRemote(), disconnection.detail());
      } catch (RuntimeException e) {
        log.warn(
            "{} handler threw in onDisconnect for peer {}", b.shared().capability(), remoteId, e);
      }
    }
    established.completeExceptionally(closed);
    closeFuture.complete(disconnection);
    super.channelInactive(ctx);
  }

  // ---- inbound messages --------------------------------------------------------------------

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof RlpxMessage m)) {
      io.netty.util.ReferenceCountUtil.release(msg);
      throw new IllegalStateException("unexpected " + msg.getClass().getName() + " in pipeline");
    }
    lastReadNanos = now();
    switch (state) {
      case AWAITING_HELLO -> {
        if (m.code() == BaseProtocol.HELLO) {
          onHello(m.payload());
        } else if (m.code() == BaseProtocol.DISCONNECT) {
          onRemoteDisconnect(m.payload());
        } else {
          disconnect(
              DisconnectReason.PROTOCOL_ERROR,
              String.format("message 0x%02x before Hello", m.code()));
        }
      }
      case ACTIVE -> onActiveMessage(m);
      case HANDSHAKE -> disconnect(DisconnectReason.PROTOCOL_ERROR, "message before handshake");
      default -> {} // CLOSING or CLOSED: the peer's last words are of no further interest.
    }
  }

  private void onHello(byte[] payload) {
    Hello hello = Hello.decode(payload);
    if (Arrays.equals(hello.nodeId(), new byte[NodeId.LENGTH])) {
      disconnect(DisconnectReason.NULL_NODE_IDENTITY, "Hello carries the null node id");
      return;
    }
    if (!Arrays.equals(hello.nodeId(), remoteId.rawBytes())) {
      disconnect(
          DisconnectReason.UNEXPECTED_IDENTITY, "Hello node id differs from the handshake's");
      return;
    }
    if (hello.protocolVersion() >= BaseProtocol.SNAPPY_VERSION) {
      // Both Hellos have been exchanged: from here on both directions compress, including a
      // Disconnect for want of a shared capability, which go-ethereum reads compressed.
      ctx.pipeline().fireUserEventTriggered(SnappyCodec.ENABLE);
    }
    List<Capability> local = config.subprotocols().stream().map(Subprotocol::capability).toList();
    List<CapabilityNegotiation.Shared> shared =
        CapabilityNegotiation.negotiate(local, hello.capabilities());
    if (!local.isEmpty() && shared.isEmpty()) {
      disconnect(
          DisconnectReason.USELESS_PEER,
          "no shared capability; peer offers "
              + hello.capabilities().stream().map(c -> c.name() + "/" + c.version()).toList());
      return;
    }
    cancel(handshakeTimer);
    // After the switch to Snappy: the peer, having our Hello, reads our Disconnect compressed.
    String full = admission.get();
    if (full != null) {
      disconnect(DisconnectReason.TOO_MANY_PEERS, full);
      return;
    }
    connection =
        new RlpxConnection(
            this, ctx.channel(), remoteId, hello, shared, initiator, config.maxMessageSize());
    state = State.ACTIVE;
    startKeepAlive();
    log.debug(
        "session established with {} at {} ({}, shared {})",
        remoteId,
        ctx.channel().remoteAddress(),
        hello.clientId(),
        connection.sharedCapabilities());
    for (CapabilityNegotiation.Shared s : shared) {
      if (state != State.ACTIVE) {
        return;
      }
      ProtocolHandlerFactory factory =
          config.subprotocols().stream()
              .filter(p -> p.capability().equals(s.capability()))
              .findFirst()
              .orElseThrow()
              .factory();
      ProtocolHandler handler;
      try {
        handler = factory.open(connection.session(s));
      } catch (RuntimeException e) {
        log.debug("{} handler factory threw", s.capability(), e);
        disconnect(
            DisconnectReason.SUBPROTOCOL_ERROR, s.capability() + " handler factory threw " + e);
        return;
      }
      if (handler == null) {
        disconnect(DisconnectReason.SUBPROTOCOL_ERROR, s.capability() + " factory returned null");
        return;
      }
      bindings.add(new Binding(s, handler));
    }
    if (state == State.ACTIVE) {
      startObserved = true;
      observe(() -> config.observer().sessionStarted());
      // Registration first, so whoever wakes on the future finds the connection registered.
      try {
        onEstablished.accept(connection);
      } catch (RuntimeException e) {
        log.warn("connection listener threw for peer {}", remoteId, e);
      }
      established.complete(connection);
    }
  }

  private void onActiveMessage(RlpxMessage m) {
    int code = m.code();
    switch (code) {
      case BaseProtocol.HELLO -> disconnect(DisconnectReason.PROTOCOL_ERROR, "second Hello");
      case BaseProtocol.DISCONNECT -> onRemoteDisconnect(m.payload());
      case BaseProtocol.PING ->
          ctx.writeAndFlush(new RlpxMessage(BaseProtocol.PONG, BaseProtocol.EMPTY_LIST));
      case BaseProtocol.PONG -> {
        PendingPing p = pings.poll();
        if (p != null && p.result() != null) {
          p.result().complete(Duration.ofNanos(now() - p.sentNanos()));
        }
      }
      default -> {
        if (code < BaseProtocol.LENGTH) {
          // Reserved p2p ids we do not know: a later p2p version may define them; ignore.
          log.trace("ignoring p2p message 0x{} from {}", Integer.toHexString(code), remoteId);
          return;
        }
        dispatch(m);
      }
    }
  }

  private void dispatch(RlpxMessage m) {
    for (Binding b : bindings) {
      if (b.shared().contains(m.code())) {
        try {
          b.handler().onMessage(m.code() - b.shared().offset(), m.payload());
        } catch (RuntimeException e) {
          log.debug("{} handler threw on message from {}", b.shared().capability(), remoteId, e);
          disconnect(
              DisconnectReason.SUBPROTOCOL_ERROR, b.shared().capability() + " handler threw " + e);
        }
        return;
      }
    }
    disconnect(
        DisconnectReason.PROTOCOL_ERROR,
        String.format("message id 0x%02x outside every shared capability", m.code()));
  }

  private void onRemoteDisconnect(byte[] payload) {
    long code = BaseProtocol.decodeDisconnect(payload);
    DisconnectReason reason = DisconnectReason.fromCode(code);
    String detail =
        reason == DisconnectReason.UNKNOWN
            ? "peer sent Disconnect with unknown or malformed reason " + code
            : Disconnection.PEER_SENT_DISCONNECT;
    disconnection = new Disconnection(reason, true, detail);
    enterClosing();
    ctx.close();
  }

  // ---- errors ------------------------------------------------------------------------------

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable root = cause;
    while ((root instanceof DecoderException || root instanceof EncoderException)
        && root.getCause() != null) {
      root = root.getCause();
    }
    if (state == State.CLOSING || state == State.CLOSED) {
      log.debug("error after disconnect from {}: {}", remoteId, root.toString());
      if (root instanceof IOException) {
        ctx.close();
      }
      return;
    }
    if (root instanceof RlpxProtocolException p) {
      disconnect(p.reason(), p.getMessage());
    } else if (root instanceof RlpException) {
      disconnect(DisconnectReason.PROTOCOL_ERROR, "malformed RLP: " + root.getMessage());
    } else if (root instanceof IOException) {
      disconnection =
          new Disconnection(DisconnectReason.TCP_ERROR, true, "I/O error: " + root.getMessage());
      enterClosing();
      ctx.close();
    } else {
      log.warn(
          "unexpected error on connection to {} at {}",
          remoteId,
          ctx.channel().remoteAddress(),
          root);
      disconnect(DisconnectReason.PROTOCOL_ERROR, "unexpected error: " + root);
    }
  }

  // ---- outbound ----------------------------------------------------------------------------

  /**
   * Writes arriving from outside (subprotocol sends via the channel) pass here; our own writes
   * start below this handler and do not. Outside writes are refused unless the session is active,
   * so nothing follows our Disconnect.
   */
  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    if (msg instanceof RlpxMessage && state != State.ACTIVE) {
      // Once the connection is ending, say why: a sender's error then names the cause.
      promise.setFailure(
          disconnection != null
              ? new DisconnectedException(disconnection)
              : new ClosedChannelException());
      return;
    }
    super.write(ctx, msg, promise);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    boolean writable = ctx.channel().isWritable();
    for (Binding b : bindings) {
      try {
        b.handler().onWritabilityChanged(writable);
      } catch (RuntimeException e) {
        log.debug("{} handler threw in onWritabilityChanged", b.shared().capability(), e);
      }
    }
    super.channelWritabilityChanged(ctx);
  }

  /**
   * Ends the connection from our side: Disconnect with {@code reason} if frames can be sent yet,
   * then a half-close, then a full close after the linger time or when the peer closes. Idempotent.
   * Event loop only.
   */
  void disconnect(DisconnectReason reason, String detail) {
    if (state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    State before = state;
    disconnection = new Disconnection(reason, false, detail);
    enterClosing();
    if (before == State.HANDSHAKE) {
      ctx.close();
      return;
    }
    ctx.writeAndFlush(
            new RlpxMessage(BaseProtocol.DISCONNECT, BaseProtocol.encodeDisconnect(reason)))
        .addListener(
            (ChannelFutureListener)
                f -> {
                  Duration linger = config.disconnectLinger();
                  if (!f.isSuccess()
                      || linger.isZero()
                      || !(f.channel() instanceof DuplexChannel dc)) {
                    f.channel().close();
                    return;
                  }
                  // FIN after the Disconnect, so the peer reads it before noticing the close;
                  // closing
                  // outright with unread input would send RST, which can discard it.
                  dc.shutdownOutput();
                  f.channel()
                      .eventLoop()
                      .schedule(() -> f.channel().close(), linger.toNanos(), TimeUnit.NANOSECONDS);
                });
  }

  private void enterClosing() {
    if (endedIn == null) {
      endedIn = state;
    }
    state = State.CLOSING;
    cancelTimers();
  }

  /** Tells the observer; one that throws is logged, never allowed to break the connection. */
  private void observe(Runnable event) {
    try {
      event.run();
    } catch (RuntimeException e) {
      log.warn("RLPx observer threw", e);
    }
  }

  // ---- requests from other threads ---------------------------------------------------------

  boolean isActive() {
    return state == State.ACTIVE;
  }

  CompletableFuture<Disconnection> closeFuture() {
    return closeFuture;
  }

  CompletableFuture<Disconnection> requestDisconnect(DisconnectReason reason, String detail) {
    runOnLoop(() -> disconnect(reason, detail));
    return closeFuture;
  }

  CompletableFuture<Duration> requestPing() {
    CompletableFuture<Duration> result = new CompletableFuture<>();
    runOnLoop(
        () -> {
          if (state != State.ACTIVE) {
            result.completeExceptionally(
                new DisconnectedException(
                    disconnection != null
                        ? disconnection
                        : new Disconnection(DisconnectReason.REQUESTED, false, "not active")));
            return;
          }
          sendPing(result);
        });
    return result;
  }

  private void runOnLoop(Runnable task) {
    if (ctx.executor().inEventLoop()) {
      task.run();
    } else {
      ctx.executor().execute(task);
    }
  }

  // ---- keep-alive --------------------------------------------------------------------------

  private void startKeepAlive() {
    long interval = config.pingInterval().toNanos();
    pingTimer =
        ctx.executor()
            .scheduleAtFixedRate(
                () -> {
                  if (state == State.ACTIVE) {
                    sendPing(null);
                  }
                },
                interval,
                interval,
                TimeUnit.NANOSECONDS);
    scheduleIdleCheck(config.idleTimeout().toNanos());
  }

  private void sendPing(CompletableFuture<Duration> result) {
    pings.add(new PendingPing(now(), result));
    ctx.writeAndFlush(new RlpxMessage(BaseProtocol.PING, BaseProtocol.EMPTY_LIST));
  }

  /**
   * Ends the session if nothing arrived for the idle timeout, or the oldest Ping has waited that
   * long for its Pong; otherwise re-arms for the earliest moment either could happen. Cheaper than
   * re-arming a timer on every message.
   */
  private void scheduleIdleCheck(long delayNanos) {
    idleTimer =
        ctx.executor()
            .schedule(
                () -> {
                  if (state != State.ACTIVE) {
                    return;
                  }
                  long timeout = config.idleTimeout().toNanos();
                  long now = now();
                  long idle = now - lastReadNanos;
                  PendingPing oldest = pings.peek();
                  long pongWait = oldest == null ? 0 : now - oldest.sentNanos();
                  if (idle >= timeout) {
                    disconnect(
                        DisconnectReason.PING_TIMEOUT,
                        "nothing received for " + TimeUnit.NANOSECONDS.toMillis(idle) + " ms");
                  } else if (pongWait >= timeout) {
                    disconnect(
                        DisconnectReason.PING_TIMEOUT,
                        "no Pong for " + TimeUnit.NANOSECONDS.toMillis(pongWait) + " ms");
                  } else {
                    scheduleIdleCheck(timeout - Math.max(idle, pongWait));
                  }
                },
                delayNanos,
                TimeUnit.NANOSECONDS);
  }

  private long now() {
    return ctx.executor().ticker().nanoTime();
  }

  private void cancelTimers() {
    cancel(handshakeTimer);
    cancel(pingTimer);
    cancel(idleTimer);
  }

  private static void cancel(ScheduledFuture<?> f) {
    if (f != null) {
      f.cancel(false);
    }
  }
}
