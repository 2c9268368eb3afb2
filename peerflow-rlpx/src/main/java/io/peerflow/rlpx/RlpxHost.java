package io.peerflow.rlpx;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An RLPx node that listens for and dials devp2p peers with one node key and one set of
 * subprotocols, on its own Netty event loops; thread-safe.
 *
 * <pre>{@code
 * RlpxConfig config = RlpxConfig.builder(NodeKey.loadOrCreate(dataDir))
 *     .subprotocol(new Capability("eth", 68, 17), session -> new EthHandler(session))
 *     .build();
 * try (RlpxHost host = RlpxHost.start(config)) {
 *   host.listen(new InetSocketAddress("127.0.0.1", 30303)).join();
 *   Connection c = host.dial(Enode.parse("enode://...@127.0.0.1:30304")).join();
 * }
 * }</pre>
 *
 * <p>Every method may be called from any thread. Connection callbacks (handler factories, handlers,
 * the connection listener, and futures returned here) run on the event loops and must not block.
 * Every connection's end is logged as one INFO line on the logger {@code
 * io.peerflow.rlpx.disconnect}. {@link #close()} disconnects every peer with {@link
 * DisconnectReason#CLIENT_QUITTING} and stops the event loops.
 */
public final class RlpxHost implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RlpxHost.class);

  /** Extra time on top of the linger for peers to close before close() stops waiting. */
  private static final long CLOSE_GRACE_MILLIS = 1000;

  private final RlpxConfig config;
  private final EventLoopGroup group;
  private final ChannelGroup channels;
  private final SecureRandom random = new SecureRandom();
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ConnectionLimits limits;
  private volatile InetSocketAddress listenAddress;

  private RlpxHost(RlpxConfig config) {
    this.config = config;
    this.group =
        new MultiThreadIoEventLoopGroup(config.eventLoopThreads(), NioIoHandler.newFactory());
    this.channels = new DefaultChannelGroup("rlpx", group.next());
    this.limits = new ConnectionLimits(config.limits());
  }

  /** Starts a host (its event loops; it neither listens nor dials yet). */
  public static RlpxHost start(RlpxConfig config) {
    FrameCipher.loadCiphers();
    return new RlpxHost(config);
  }

  /** This node's id. */
  public NodeId localId() {
    return config.nodeKey().id();
  }

  /**
   * Accepts connections on {@code address} (port 0 picks a free port). A host listens on one
   * address; the port is advertised in Hello.
   *
   * @return completes with the bound address
   */
  public CompletableFuture<InetSocketAddress> listen(InetSocketAddress address) {
    CompletableFuture<InetSocketAddress> result = new CompletableFuture<>();
    if (closed.get()) {
      result.completeExceptionally(new IllegalStateException("host is closed"));
      return result;
    }
    if (listenAddress != null) {
      result.completeExceptionally(new IllegalStateException("already listening"));
      return result;
    }
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new io.netty.channel.ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    accepted(ch);
                  }
                });
    b.bind(address)
        .addListener(
            f -> {
              io.netty.channel.ChannelFuture cf = (io.netty.channel.ChannelFuture) f;
              if (f.isSuccess()) {
                channels.add(cf.channel());
                InetSocketAddress bound = (InetSocketAddress) cf.channel().localAddress();
                listenAddress = bound;
                log.debug("listening on {} as {}", bound, localId());
                result.complete(bound);
              } else {
                result.completeExceptionally(f.cause());
              }
            });
    return result;
  }

  /**
   * Admits an accepted socket within the limits, before any handshake work, or closes it at once.
   */
  private void accepted(Channel ch) {
    InetAddress ip =
        ch.remoteAddress() instanceof InetSocketAddress a
            ? a.getAddress()
            : InetAddress.getLoopbackAddress();
    String refused = limits.admitInbound(ip);
    if (refused != null) {
      // A flood is what this stops: one line per socket would be the flood again, in the log.
      log.debug("refusing connection from {}: {}", ch.remoteAddress(), refused);
      ch.close();
      return;
    }
    AtomicBoolean established = new AtomicBoolean();
    ch.closeFuture().addListener(f -> limits.inboundClosed(ip, established.get()));
    channels.add(ch);
    ch.pipeline()
        .addLast(
            new RlpxChannelInitializer(
                config,
                null,
                random,
                this::listenPort,
                new CompletableFuture<>(),
                this::register,
                () -> {
                  // Counted as established from the moment it takes a slot, so that the count
                  // given back at close matches even if a subprotocol then fails to open.
                  String full = limits.inboundEstablished();
                  established.set(full == null);
                  return full;
                }));
  }

  /** Established inbound connections now. */
  public int inboundPeers() {
    return limits.establishedInbound();
  }

  /** Inbound handshakes in progress now. */
  public int pendingHandshakes() {
    return limits.pendingInbound();
  }

  /** Where this host listens, as an enode URL, once {@link #listen} has completed. */
  public Optional<Enode> localEnode() {
    InetSocketAddress a = listenAddress;
    return a == null
        ? Optional.empty()
        : Optional.of(new Enode(localId(), a.getAddress().getHostAddress(), a.getPort()));
  }

  /**
   * Dials {@code remote}, runs the handshake and the Hello exchange.
   *
   * @return completes with the established connection; fails with {@link DisconnectedException} if
   *     the peer was reached but the session could not be set up, or with the connect error
   */
  public CompletableFuture<Connection> dial(Enode remote) {
    CompletableFuture<Connection> result = new CompletableFuture<>();
    if (closed.get()) {
      result.completeExceptionally(new IllegalStateException("host is closed"));
      return result;
    }
    try {
      LoopbackGuard.ENVIRONMENT.check(remote.tcpAddress(), "dial");
    } catch (LoopbackGuard.Refused refused) {
      result.completeExceptionally(refused);
      return result;
    }
    String full = limits.admitOutbound();
    if (full != null) {
      result.completeExceptionally(new IllegalStateException(full));
      return result;
    }
    Bootstrap b =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
            .handler(
                new RlpxChannelInitializer(
                    config, remote.id(), random, this::listenPort, result, this::register));
    io.netty.channel.ChannelFuture connecting = b.connect(remote.tcpAddress());
    connecting.channel().closeFuture().addListener(f -> limits.outboundClosed());
    connecting.addListener(
        f -> {
          io.netty.channel.ChannelFuture cf = (io.netty.channel.ChannelFuture) f;
          if (f.isSuccess()) {
            channels.add(cf.channel());
          } else {
            result.completeExceptionally(f.cause());
          }
        });
    return result;
  }

  /** The established connections at this moment. */
  public Set<Connection> connections() {
    return Set.copyOf(connections);
  }

  private int listenPort() {
    InetSocketAddress a = listenAddress;
    return a == null ? 0 : a.getPort();
  }

  private void register(Connection c) {
    connections.add(c);
    c.onClose(d -> connections.remove(c));
    if (closed.get()) {
      c.disconnect(DisconnectReason.CLIENT_QUITTING);
      return;
    }
    config.connectionListener().accept(c);
  }

  /**
   * Disconnects every peer ({@link DisconnectReason#CLIENT_QUITTING}), waits up to the disconnect
   * linger plus a second for them to close, closes the sockets and stops the event loops.
   * Idempotent; blocks, so never call it from an event loop.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    List<CompletableFuture<Disconnection>> closing = new ArrayList<>();
    for (Connection c : connections) {
      closing.add(c.disconnect(DisconnectReason.CLIENT_QUITTING));
    }
    long waitMillis = config.disconnectLinger().toMillis() + CLOSE_GRACE_MILLIS;
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
          .get(waitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.debug("not every peer closed in time: {}", e.toString());
    }
    channels.close().awaitUninterruptibly(waitMillis);
    // No quiet period: nothing is left to run once the channels are closed.
    group
        .shutdownGracefully(0, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS)
        .awaitUninterruptibly(2 * CLOSE_GRACE_MILLIS);
  }
}
