package io.peerflow.rlpx;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The base protocol and dispatch, driven message by message on an {@link EmbeddedChannel}; the
 * timers run on Netty's mock ticker, so timeouts are tested by moving virtual time.
 */
class SessionHandlerTest {

  private static final Capability ECHO = new Capability("echo", 1, 2);
  private static final Capability OTHER = new Capability("other", 3, 4);

  private final NodeKey local = NodeKey.generate(HandshakePair.RANDOM);
  private final NodeKey remote = NodeKey.generate(HandshakePair.RANDOM);
  private final MockTicker ticker = Ticker.newMockTicker();
  private final CompletableFuture<Connection> established = new CompletableFuture<>();
  private final List<String> events = new ArrayList<>();
  private final List<ProtocolSession> sessions = new ArrayList<>();
  private EmbeddedChannel channel;
  private SnappyCodec snappy;

  private RlpxConfig.Builder config() {
    return RlpxConfig.builder(local)
        .clientId("test-local")
        .handshakeTimeout(Duration.ofSeconds(5))
        .pingInterval(Duration.ofSeconds(15))
        .idleTimeout(Duration.ofSeconds(30))
        .subprotocol(
            ECHO,
            session -> {
              sessions.add(session);
              return new ProtocolHandler() {
                @Override
                public void onMessage(int code, byte[] payload) {
                  if (payload.length > 0 && payload[0] == 'X') {
                    throw new IllegalStateException("boom");
                  }
                  events.add("echo " + code + " " + new String(payload));
                }

                @Override
                public void onDisconnect(DisconnectReason reason, boolean byRemote, String detail) {
                  events.add("disconnect " + reason.name() + " " + byRemote);
                }
              };
            })
        .subprotocol(
            OTHER,
            session ->
                new ProtocolHandler() {
                  @Override
                  public void onMessage(int code, byte[] payload) {
                    events.add("other " + code);
                  }

                  @Override
                  public void onDisconnect(
                      DisconnectReason reason, boolean byRemote, String detail) {}
                });
  }

  private void open(RlpxConfig config) {
    snappy = new SnappyCodec(config.maxMessageSize());
    SessionHandler handler = new SessionHandler(config, true, () -> 30303, established, c -> {});
    channel = EmbeddedChannel.builder().ticker(ticker).handlers(snappy, handler).build();
  }

  private void openAndHandshake() {
    open(config().build());
    channel.pipeline().fireUserEventTriggered(new HandshakeCompleted(remote.id()));
  }

  private void receiveHello(long version, Hello.Cap... caps) {
    channel.writeInbound(
        new RlpxMessage(
            BaseProtocol.HELLO,
            new Hello(version, "test-remote", List.of(caps), 0, remote.id().rawBytes()).encode()));
  }

  private void establish() {
    openAndHandshake();
    assertThat(((RlpxMessage) channel.readOutbound()).code()).isEqualTo(BaseProtocol.HELLO);
    receiveHello(5, new Hello.Cap("echo", 1), new Hello.Cap("other", 3));
    assertThat(established).isCompleted();
  }

  private void advance(Duration d) {
    ticker.advance(d.toNanos(), TimeUnit.NANOSECONDS);
    channel.runScheduledPendingTasks();
    channel.runPendingTasks();
  }

  /** Skips outbound Pings and returns the reason of the Disconnect sent, or fails. */
  private DisconnectReason sentDisconnect() {
    for (Object o; (o = channel.readOutbound()) != null; ) {
      RlpxMessage m = (RlpxMessage) o;
      if (m.code() == BaseProtocol.DISCONNECT) {
        return DisconnectReason.fromCode(BaseProtocol.decodeDisconnect(m.payload()));
      }
    }
    throw new AssertionError("no Disconnect sent");
  }

  private Disconnection closed() {
    assertThat(channel.isOpen()).isFalse();
    if (established.isCompletedExceptionally()) {
      Throwable e = established.handle((c, t) -> t).join();
      return ((DisconnectedException) (e.getCause() != null ? e.getCause() : e)).disconnection();
    }
    return established.join().closeFuture().join();
  }

  @AfterEach
  void finish() {
    if (channel != null) {
      channel.finishAndReleaseAll();
    }
  }

  @Test
  void sendsHelloAsSoonAsTheHandshakeCompletes() {
    openAndHandshake();
    RlpxMessage m = channel.readOutbound();
    assertThat(m.code()).isEqualTo(BaseProtocol.HELLO);
    Hello hello = Hello.decode(m.payload());
    assertThat(hello.protocolVersion()).isEqualTo(5);
    assertThat(hello.clientId()).isEqualTo("test-local");
    assertThat(hello.capabilities())
        .containsExactly(new Hello.Cap("echo", 1), new Hello.Cap("other", 3));
    assertThat(hello.listenPort()).isEqualTo(30303);
    assertThat(hello.nodeId()).isEqualTo(local.id().bytes());
    assertThat(established).isNotDone();
  }

  @Test
  void theRemoteHelloEstablishesTheSessionAndOpensOneHandlerPerSharedCapability() {
    openAndHandshake();
    receiveHello(5, new Hello.Cap("echo", 1), new Hello.Cap("zzz", 9));
    Connection c = established.join();
    assertThat(c.remoteId()).isEqualTo(remote.id());
    assertThat(c.remoteClientId()).isEqualTo("test-remote");
    assertThat(c.remoteCapabilities()).containsExactly("echo/1", "zzz/9");
    assertThat(c.sharedCapabilities()).containsExactly(ECHO);
    assertThat(c.isInitiator()).isTrue();
    assertThat(c.isOpen()).isTrue();
    assertThat(sessions).hasSize(1);
    assertThat(sessions.get(0).version()).isEqualTo(1);
    assertThat(snappy.isEnabled()).isTrue();
  }

  @Test
  void aPeerBelowVersionFiveGetsNoCompression() {
    openAndHandshake();
    receiveHello(4, new Hello.Cap("echo", 1));
    assertThat(established).isCompleted();
    assertThat(snappy.isEnabled()).isFalse();
  }

  @Test
  void messagesAreRoutedByRangeWithCodesRelativeToTheirCapability() {
    establish();
    // echo/1 gets 0x10..0x11, other/3 gets 0x12..0x15 (alphabetical order).
    channel.writeInbound(new RlpxMessage(0x11, "hi".getBytes()));
    channel.writeInbound(new RlpxMessage(0x15, new byte[0]));
    assertThat(events).containsExactly("echo 1 hi", "other 3");

    sessions.get(0).send(1, "yo".getBytes());
    RlpxMessage out = channel.readOutbound();
    assertThat(out.code()).isEqualTo(0x11);
    assertThat(out.payload()).isEqualTo("yo".getBytes());
  }

  @Test
  void aMessageOutsideEverySharedRangeIsABreachOfProtocol() {
    establish();
    channel.writeInbound(new RlpxMessage(0x16, new byte[0]));
    assertThat(sentDisconnect()).isEqualTo(DisconnectReason.PROTOCOL_ERROR);
    assertThat(closed().detail()).contains("0x16 outside every shared capability");
    assertThat(events).containsExactly("disconnect PROTOCOL_ERROR false");
  }

  @Test
  void unknownReservedP2pMessagesAreIgnored() {
    establish();
    channel.writeInbound(new RlpxMessage(0x07, new byte[] {(byte) 0xc0}));
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void pingIsAnsweredWithPongAndPingFuturesCompleteOnPong() {
    establish();
    channel.writeInbound(new RlpxMessage(BaseProtocol.PING, BaseProtocol.EMPTY_LIST));
    assertThat(((RlpxMessage) channel.readOutbound()).code()).isEqualTo(BaseProtocol.PONG);

    CompletableFuture<Duration> rtt = established.join().ping();
    assertThat(((RlpxMessage) channel.readOutbound()).code()).isEqualTo(BaseProtocol.PING);
    ticker.advance(40, TimeUnit.MILLISECONDS);
    channel.writeInbound(new RlpxMessage(BaseProtocol.PONG, BaseProtocol.EMPTY_LIST));
    assertThat(rtt.join()).isEqualTo(Duration.ofMillis(40));
  }

  @Test
  void keepAlivePingsGoOutEveryIntervalAndAnIdlePeerIsDisconnected() {
    establish();
    advance(Duration.ofSeconds(15));
    assertThat(((RlpxMessage) channel.readOutbound()).code()).isEqualTo(BaseProtocol.PING);
    channel.writeInbound(new RlpxMessage(BaseProtocol.PONG, BaseProtocol.EMPTY_LIST));
    advance(Duration.ofSeconds(15));
    assertThat(((RlpxMessage) channel.readOutbound()).code()).isEqualTo(BaseProtocol.PING);
    assertThat(channel.isOpen()).isTrue();
    // Last read at t=15 s: silence until t=45 s ends it.
    advance(Duration.ofSeconds(14));
    assertThat(channel.isOpen()).isTrue();
    advance(Duration.ofSeconds(1));
    assertThat(sentDisconnect()).isEqualTo(DisconnectReason.PING_TIMEOUT);
    assertThat(closed().detail()).startsWith("nothing received for 30000 ms");
  }

  @Test
  void aPeerThatTalksButNeverAnswersPingsIsDisconnected() {
    establish();
    for (int s = 1; s <= 45 && channel.isOpen(); s++) {
      advance(Duration.ofSeconds(1));
      if (channel.isOpen()) {
        channel.writeInbound(new RlpxMessage(0x10, new byte[0]));
      }
    }
    assertThat(sentDisconnect()).isEqualTo(DisconnectReason.PING_TIMEOUT);
    assertThat(closed().detail()).startsWith("no Pong for 30000 ms");
  }

  @Test
  void noHelloWithinTheHandshakeTimeoutSendsDisconnectAndCloses() {
    openAndHandshake();
    channel.readOutbound();
    advance(Duration.ofMillis(4999));
    assertThat(channel.isOpen()).isTrue();
    advance(Duration.ofMillis(1));
    assertThat(sentDisconnect()).isEqualTo(DisconnectReason.PING_TIMEOUT);
    assertThat(closed().detail()).contains("handshake timeout");
  }

  @Test
  void aStalledCryptoHandshakeIsClosedWithoutAnyMessage() {
    open(config().build());
    advance(Duration.ofSeconds(5));
    assertThat(channel.<Object>readOutbound()).isNull();
    Disconnection d = closed();
    assertThat(d.reason()).isEqualTo(DisconnectReason.PING_TIMEOUT);
    assertThat(d.byRemote()).isFalse();
  }

  @Test
  void anythingButHelloOrDisconnectBeforeHelloIsABreachOfProtocol() {
    openAndHandshake();
    channel.writeInbound(new RlpxMessage(BaseProtocol.PING, BaseProtocol.EMPTY_LIST));
    assertThat(sentDisconnect()).isEqualTo(DisconnectReason.PROTOCOL_ERROR);
    assertThat(closed().detail()).contains("before Hello");
  }

  @Test
  void malformedHelloRlpIsABreachOfProtocol() {
    openAndHandshake();
    channel.writeInbound(new RlpxMessage(BaseProtocol.HELLO, new byte[] {(byte) 0xc5, 0x05}));
    assertThat(sentDisconnect()).isEqualTo(DisconnectReason.PROTOCOL_ERROR);
    assertThat(closed().detail()).startsWith("malformed RLP");
  }

  @Test
  void aHelloFromAnotherIdentityIsRefused() {
    openAndHandshake();
    channel.writeInbound(
        new RlpxMessage(
            BaseProtocol.HELLO,
            new Hello(
                    5,
                    "x",
                    List.of(new Hello.Cap("echo", 1)),
                    0,
                    NodeKey.generate().id().rawBytes())
                .encode()));
    assertThat(sentDisconnect()).isEqualTo(DisconnectReason.UNEXPECTED_IDENTITY);
  }

  @Test
  void aHelloWithTheNullIdentityIsRefused() {
    openAndHandshake();
    channel.writeInbound(
        new RlpxMessage(
            BaseProtocol.HELLO, new Hello(5, "x", List.of(), 0, new byte[64]).encode()));
    assertThat(sentDisconnect()).isEqualTo(DisconnectReason.NULL_NODE_IDENTITY);
  }

  @Test
  void aPeerWithNoSharedCapabilityIsUseless() {
    openAndHandshake();
    receiveHello(5, new Hello.Cap("echo", 2));
    assertThat(sentDisconnect()).isEqualTo(DisconnectReason.USELESS_PEER);
    assertThat(closed().detail()).contains("[echo/2]");
  }

  @Test
  void connectingToOurselvesIsRefused() {
    open(config().build());
    channel.pipeline().fireUserEventTriggered(new HandshakeCompleted(local.id()));
    assertThat(sentDisconnect()).isEqualTo(DisconnectReason.SELF_CONNECTION);
  }

  @Test
  void aSecondHelloIsABreachOfProtocol() {
    establish();
    receiveHello(5, new Hello.Cap("echo", 1));
    assertThat(sentDisconnect()).isEqualTo(DisconnectReason.PROTOCOL_ERROR);
  }

  @Test
  void theRemoteDisconnectIsReportedAsByRemoteWithItsReason() {
    establish();
    channel.writeInbound(
        new RlpxMessage(
            BaseProtocol.DISCONNECT,
            BaseProtocol.encodeDisconnect(DisconnectReason.TOO_MANY_PEERS)));
    Disconnection d = closed();
    assertThat(d.reason()).isEqualTo(DisconnectReason.TOO_MANY_PEERS);
    assertThat(d.byRemote()).isTrue();
    assertThat(events).containsExactly("disconnect TOO_MANY_PEERS true");
    assertThat(sessions.get(0).send(0, new byte[0])).isCompletedExceptionally();
  }

  @Test
  void disconnectPayloadsAreDecodedLeniently() {
    assertThat(BaseProtocol.decodeDisconnect(new byte[] {(byte) 0xc1, 0x04})).isEqualTo(4);
    assertThat(BaseProtocol.decodeDisconnect(new byte[] {0x04})).isEqualTo(4);
    assertThat(BaseProtocol.decodeDisconnect(new byte[] {(byte) 0xc0})).isEqualTo(0);
    assertThat(BaseProtocol.decodeDisconnect(new byte[0])).isEqualTo(0);
    assertThat(BaseProtocol.decodeDisconnect(new byte[] {(byte) 0xc5})).isEqualTo(-1);
    assertThat(DisconnectReason.fromCode(0x42)).isEqualTo(DisconnectReason.UNKNOWN);
    assertThat(DisconnectReason.SUBPROTOCOL_ERROR).hasToString("SUBPROTOCOL_ERROR (0x10)");
  }

  @Test
  void aHandlerThatThrowsEndsTheConnectionWithSubprotocolError() {
    establish();
    channel.writeInbound(new RlpxMessage(0x10, "X".getBytes()));
    assertThat(sentDisconnect()).isEqualTo(DisconnectReason.SUBPROTOCOL_ERROR);
    assertThat(closed().detail()).contains("echo/1 handler threw").contains("boom");
  }

  @Test
  void disconnectSendsTheReasonOnceAndIgnoresLaterMessages() {
    establish();
    Connection c = established.join();
    CompletableFuture<Disconnection> f = c.disconnect(DisconnectReason.CLIENT_QUITTING);
    assertThat(c.disconnect(DisconnectReason.TOO_MANY_PEERS)).isSameAs(f);
    assertThat(sentDisconnect()).isEqualTo(DisconnectReason.CLIENT_QUITTING);
    assertThat(channel.<Object>readOutbound()).isNull();
    Disconnection d = f.join();
    assertThat(d.reason()).isEqualTo(DisconnectReason.CLIENT_QUITTING);
    assertThat(d.byRemote()).isFalse();
    assertThat(c.isOpen()).isFalse();
  }

  @Test
  void sendRefusesCodesOutsideTheCapabilityAndOversizePayloads() {
    establish();
    ProtocolSession s = sessions.get(0);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.send(2, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0..1");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> s.send(0, new byte[RlpxConfig.DEFAULT_MAX_MESSAGE_SIZE + 1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit");
  }
}
