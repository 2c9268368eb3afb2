package io.peerflow.rlpx;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Builds a connection's pipeline: inbound byte count → handshake → (frame codec, once the handshake
 * is done) → snappy → message codec → session. One instance per connection.
 */
final class RlpxChannelInitializer extends ChannelInitializer<Channel> {

  private final RlpxConfig config;
  private final NodeId dialed;
  private final SecureRandom random;
  private final IntSupplier listenPort;
  private final CompletableFuture<Connection> established;
  private final Consumer<Connection> onEstablished;
  private final Supplier<String> admission;

  /**
   * @param dialed the peer we dial, or null for an inbound connection
   */
  RlpxChannelInitializer(
      RlpxConfig config,
      NodeId dialed,
      SecureRandom random,
      IntSupplier listenPort,
      CompletableFuture<Connection> established,
      Consumer<Connection> onEstablished) {
    this(config, dialed, random, listenPort, established, onEstablished, () -> null);
  }

  /**
   * With the host's {@code admission} of a peer whose Hello arrived (see {@link SessionHandler}).
   */
  RlpxChannelInitializer(
      RlpxConfig config,
      NodeId dialed,
      SecureRandom random,
      IntSupplier listenPort,
      CompletableFuture<Connection> established,
      Consumer<Connection> onEstablished,
      Supplier<String> admission) {
    this.config = config;
    this.dialed = dialed;
    this.random = random;
    this.listenPort = listenPort;
    this.established = established;
    this.onEstablished = onEstablished;
    this.admission = admission;
  }

  @Override
  protected void initChannel(Channel ch) {
    boolean initiator = dialed != null;
    Handshake handshake =
        initiator
            ? Handshake.initiator(config.nodeKey(), dialed, random)
            : Handshake.recipient(config.nodeKey(), random);
    int max = config.maxMessageSize();
    ch.pipeline()
        .addLast(InboundByteCounter.NAME, new InboundByteCounter(config.observer()))
        .addLast(HandshakeHandler.NAME, new HandshakeHandler(handshake, max))
        .addLast(SnappyCodec.NAME, new SnappyCodec(max))
        .addLast(MessageCodec.NAME, new MessageCodec())
        .addLast(
            SessionHandler.NAME,
            new SessionHandler(
                config, initiator, listenPort, established, onEstablished, admission));
  }
}
