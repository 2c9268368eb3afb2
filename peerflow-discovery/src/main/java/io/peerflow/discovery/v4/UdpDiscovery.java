package io.peerflow.discovery.v4;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.peerflow.discovery.enr.Enr;
import io.peerflow.eth.forkid.ForkId;
import io.peerflow.rlpx.LoopbackGuard;
import io.peerflow.rlpx.NodeKey;
import io.peerflow.time.SystemTimer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Discv4} engine on a UDP socket (Netty), beside a node's TCP listener; thread-safe.
 *
 * <p>One event loop thread reads datagrams and hands them to the engine (which drops a flood before
 * decoding); every send passes the {@link LoopbackGuard} first, and a refused one is counted and
 * logged, never sent. {@link #close()} stops the engine, the socket and the timer.
 */
public final class UdpDiscovery implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(UdpDiscovery.class);

  private final EventLoopGroup group;
  private final Channel channel;
  private final SystemTimer timer;
  private final Discv4 engine;
  private final LoopbackGuard guard;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();

  private UdpDiscovery(
      NodeKey key,
      InetSocketAddress bind,
      int tcpPort,
      Optional<ForkId> forkId,
      LoopbackGuard guard)
      throws InterruptedException {
    this.guard = guard;
    this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    this.timer = new SystemTimer("discv4");
    Discv4[] holder = new Discv4[1];
    try {
      this.channel =
          new Bootstrap()
              .group(group)
              .channel(NioDatagramChannel.class)
              .handler(
                  new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                      ByteBuf content = p.content();
                      if (content.readableBytes() > Packet.MAX_SIZE) {
                        return;
                      }
                      byte[] bytes = new byte[content.readableBytes()];
                      content.readBytes(bytes);
                      holder[0].receive(p.sender(), bytes);
                    }
                  })
              .bind(bind)
              .sync()
              .channel();
    } catch (RuntimeException | InterruptedException e) {
      group.shutdownGracefully();
      timer.close();
      throw e;
    }
    InetSocketAddress local = (InetSocketAddress) channel.localAddress();
    InetAddress ip = local.getAddress();
    if (ip.isAnyLocalAddress()) {
      // A wildcard bind says nothing others can reach; loopback is the only address we know works.
      ip = InetAddress.getLoopbackAddress();
    }
    Enr.Builder record = Enr.builder().seq(1).ip(ip).udp(local.getPort());
    if (tcpPort > 0) {
      record.tcp(tcpPort);
    }
    forkId.ifPresent(record::ethForkId);
    this.engine =
        new Discv4(
            key,
            new Endpoint(ip, local.getPort(), tcpPort),
            record.sign(key),
            this::send,
            timer,
            () -> System.currentTimeMillis() / 1000,
            new SecureRandom());
    holder[0] = engine;
    engine.start();
  }

  /**
   * Binds {@code bind} (port 0 for any) and starts discovery, announcing {@code tcpPort} (0 if the
   * node does not listen) and the {@code eth} fork id, if given, in its record.
   */
  public static UdpDiscovery start(
      NodeKey key,
      InetSocketAddress bind,
      int tcpPort,
      Optional<ForkId> forkId,
      LoopbackGuard guard)
      throws InterruptedException {
    return new UdpDiscovery(key, bind, tcpPort, forkId, guard);
  }

  private void send(InetSocketAddress to, byte[] datagram) {
    try {
      guard.check(to, "UDP send");
    } catch (LoopbackGuard.Refused e) {
      refused.incrementAndGet();
      LOG.warn("{}", e.getMessage());
      return;
    }
    sent.incrementAndGet();
    channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(datagram), to));
  }

  /** The engine: lookups, the table, ENR requests. */
  public Discv4 engine() {
    return engine;
  }

  /** This node's record as announced. */
  public Enr record() {
    return engine.record();
  }

  /** The bound UDP address. */
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) channel.localAddress();
  }

  /** Datagrams handed to the socket so far. */
  public long sentDatagrams() {
    return sent.get();
  }

  /** Datagrams the loopback guard refused so far. */
  public long refusedDatagrams() {
    return refused.get();
  }

  @Override
  public void close() {
    engine.close();
    channel.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
    timer.close();
  }
}
