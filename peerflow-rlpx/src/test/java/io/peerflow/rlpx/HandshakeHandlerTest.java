package io.peerflow.rlpx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.peerflow.crypto.Keccak256;
import io.peerflow.crypto.Secp256k1;
import io.peerflow.rlpx.crypto.Ecies;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The handshake handler between two embedded channels whose bytes the test carries across. */
class HandshakeHandlerTest {

  private final NodeKey initiatorKey = NodeKey.generate(HandshakePair.RANDOM);
  private final NodeKey recipientKey = NodeKey.generate(HandshakePair.RANDOM);
  private final List<Object> initiatorEvents = new ArrayList<>();
  private final List<Object> recipientEvents = new ArrayList<>();
  private final List<EmbeddedChannel> channels = new ArrayList<>();

  @AfterEach
  void close() {
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  private EmbeddedChannel channel(Handshake handshake, List<Object> events) {
    EmbeddedChannel ch =
        new EmbeddedChannel(
            new HandshakeHandler(handshake, 1 << 20),
            new ChannelInboundHandlerAdapter() {
              @Override
              public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
              }

              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf b = (ByteBuf) msg;
                events.add(ByteBufUtil.getBytes(b));
                b.release();
              }
            });
    channels.add(ch);
    return ch;
  }

  private static byte[] drain(EmbeddedChannel ch) {
    byte[] all = new byte[0];
    for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
      byte[] bytes = ByteBufUtil.getBytes(b);
      b.release();
      all = concat(all, bytes);
    }
    return all;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void bothSidesInstallMatchingFrameCodecsAndReportThePeer() {
    EmbeddedChannel i =
        channel(
            Handshake.initiator(initiatorKey, recipientKey.id(), HandshakePair.RANDOM),
            initiatorEvents);
    EmbeddedChannel r =
        channel(Handshake.recipient(recipientKey, HandshakePair.RANDOM), recipientEvents);

    byte[] auth = drain(i);
    assertThat(auth.length).isGreaterThan(Handshake.LEGACY_AUTH_LENGTH);
    // Delivered in two pieces, as TCP may.
    r.writeInbound(Unpooled.wrappedBuffer(auth, 0, 100));
    assertThat(recipientEvents).isEmpty();
    r.writeInbound(Unpooled.wrappedBuffer(auth, 100, auth.length - 100));
    assertThat(recipientEvents).containsExactly(new HandshakeCompleted(initiatorKey.id()));
    assertThat(r.pipeline().get(HandshakeHandler.class)).isNull();
    assertThat(r.pipeline().get(FrameCodec.class)).isNotNull();

    i.writeInbound(Unpooled.wrappedBuffer(drain(r)));
    assertThat(initiatorEvents).containsExactly(new HandshakeCompleted(recipientKey.id()));

    // The codecs agree: a frame from each side decodes on the other.
    i.writeOutbound(Unpooled.wrappedBuffer(new byte[] {0x10, 1, 2}));
    r.writeInbound(Unpooled.wrappedBuffer(drain(i)));
    assertThat(recipientEvents.get(1)).isEqualTo(new byte[] {0x10, 1, 2});
    r.writeOutbound(Unpooled.wrappedBuffer(new byte[] {0x11}));
    i.writeInbound(Unpooled.wrappedBuffer(drain(r)));
    assertThat(initiatorEvents.get(1)).isEqualTo(new byte[] {0x11});
  }

  @Test
  void aFrameArrivingInTheSameReadAsTheAckIsPassedToTheFrameCodec() {
    EmbeddedChannel i =
        channel(
            Handshake.initiator(initiatorKey, recipientKey.id(), HandshakePair.RANDOM),
            initiatorEvents);
    // The recipient side as plain objects: it answers auth and at once sends its first frame.
    Handshake recipient = Handshake.recipient(recipientKey, HandshakePair.RANDOM);
    recipient.readPacket(drain(i), false);
    byte[] ack = recipient.createAck();
    FrameCipher cipher = new FrameCipher(recipient.secrets());
    byte[] frame = concat(cipher.sealHeader(3), cipher.sealBody(new byte[] {0x10, 7, 7}, 0, 3));

    i.writeInbound(Unpooled.wrappedBuffer(concat(ack, frame)));
    assertThat(initiatorEvents).hasSize(2);
    assertThat(initiatorEvents.get(0)).isEqualTo(new HandshakeCompleted(recipientKey.id()));
    assertThat(initiatorEvents.get(1)).isEqualTo(new byte[] {0x10, 7, 7});
  }

  @Test
  void aLegacyAuthIsAcceptedAndAnsweredWithALegacyAck() throws Exception {
    EmbeddedChannel r =
        channel(Handshake.recipient(recipientKey, HandshakePair.RANDOM), recipientEvents);
    byte[] ephemeral = Secp256k1.generatePrivateKey(HandshakePair.RANDOM);
    byte[] nonce = new byte[32];
    HandshakePair.RANDOM.nextBytes(nonce);
    byte[] auth = legacyAuth(initiatorKey, recipientKey.id(), ephemeral, nonce);
    assertThat(auth).hasSize(Handshake.LEGACY_AUTH_LENGTH);

    r.writeInbound(Unpooled.wrappedBuffer(auth));
    assertThat(recipientEvents).containsExactly(new HandshakeCompleted(initiatorKey.id()));
    byte[] ack = drain(r);
    assertThat(ack).hasSize(Handshake.LEGACY_ACK_LENGTH);

    // An initiator that sent this legacy auth reads the legacy ack and derives the same secrets.
    Handshake i =
        new Handshake(
            true, initiatorKey, recipientKey.id(), ephemeral, nonce, HandshakePair.RANDOM);
    assertThat(i.tryReadLegacy(ack)).isTrue();
    Secrets si =
        Secrets.derive(
            true,
            recipientKey.id(),
            ephemeral,
            i.remoteEphemeralKey(),
            nonce,
            i.remoteNonce(),
            auth,
            ack);
    FrameCipher cipher = new FrameCipher(si);
    byte[] frame = concat(cipher.sealHeader(2), cipher.sealBody(new byte[] {0x10, 9}, 0, 2));
    r.writeInbound(Unpooled.wrappedBuffer(frame));
    assertThat(recipientEvents.get(1)).isEqualTo(new byte[] {0x10, 9});
  }

  /** The pre-EIP-8 auth: ECIES(sig || keccak(ephemeral-pubk) || pubk || nonce || 0x00). */
  static byte[] legacyAuth(NodeKey from, NodeId to, byte[] ephemeral, byte[] nonce) {
    byte[] shared = Secp256k1.agree(from.privateKeyBytes(), to.rawBytes());
    byte[] signed = new byte[32];
    for (int k = 0; k < 32; k++) {
      signed[k] = (byte) (shared[k] ^ nonce[k]);
    }
    byte[] body = new byte[194];
    System.arraycopy(Secp256k1.sign(ephemeral, signed), 0, body, 0, 65);
    System.arraycopy(Keccak256.hash(Secp256k1.publicKey(ephemeral)), 0, body, 65, 32);
    System.arraycopy(from.id().rawBytes(), 0, body, 97, 64);
    System.arraycopy(nonce, 0, body, 161, 32);
    return Ecies.encrypt(to.rawBytes(), body, new byte[0], HandshakePair.RANDOM);
  }

  @Test
  void anAuthForSomeoneElseIsRefused() {
    EmbeddedChannel r =
        channel(Handshake.recipient(recipientKey, HandshakePair.RANDOM), recipientEvents);
    byte[] auth =
        Handshake.initiator(initiatorKey, NodeKey.generate().id(), HandshakePair.RANDOM)
            .createAuth();
    assertThatThrownBy(() -> r.writeInbound(Unpooled.wrappedBuffer(auth)))
        .hasRootCauseInstanceOf(RlpxProtocolException.class)
        .hasMessageContaining("cannot decrypt auth");
  }

  @Test
  void aTooSmallSizePrefixIsRefusedAtOnce() {
    EmbeddedChannel r =
        channel(Handshake.recipient(recipientKey, HandshakePair.RANDOM), recipientEvents);
    assertThatThrownBy(() -> r.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x00, 0x50})))
        .hasMessageContaining("handshake packet size 80 is too small");
    // Later input is discarded, not parsed.
    r.writeInbound(Unpooled.wrappedBuffer(new byte[500]));
    assertThat(recipientEvents).isEmpty();
  }

  @Test
  void garbageThatLooksLikeALegacyPacketFallsBackToEip8AndIsRefused() {
    EmbeddedChannel r =
        channel(Handshake.recipient(recipientKey, HandshakePair.RANDOM), recipientEvents);
    byte[] garbage = new byte[2 + 0x0400];
    HandshakePair.RANDOM.nextBytes(garbage);
    garbage[0] = 0x04;
    garbage[1] = 0x00;
    r.writeInbound(Unpooled.wrappedBuffer(garbage, 0, Handshake.LEGACY_AUTH_LENGTH));
    assertThat(r.isOpen()).isTrue(); // legacy failed; now waiting for 1026 bytes
    assertThatThrownBy(
            () ->
                r.writeInbound(
                    Unpooled.wrappedBuffer(
                        garbage,
                        Handshake.LEGACY_AUTH_LENGTH,
                        garbage.length - Handshake.LEGACY_AUTH_LENGTH)))
        .hasMessageContaining("cannot decrypt auth");
  }
}
