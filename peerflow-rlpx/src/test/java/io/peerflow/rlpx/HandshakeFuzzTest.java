package io.peerflow.rlpx;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.peerflow.rlpx.crypto.Ecies;
import io.peerflow.testkit.FuzzCorpus;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the RLPx handshake's decoding with B's and A's real node keys (EIP-8's vectors).
 *
 * <p>Random packets never pass ECIES's tag, so two targets let the fuzzer write the plaintext:
 * {@code …Body…} encrypts its input to the reader's key (as legacy or EIP-8, by the first byte) and
 * hands the packet to {@link Handshake#readPacket}, which must accept it, leaving a handshake that
 * can finish, or refuse it with an {@link RlpxProtocolException}. The {@code …Handler…} targets
 * feed raw bytes, cut into pieces, to a {@link HandshakeHandler}: the framing of the two packet
 * formats.
 */
class HandshakeFuzzTest {

  private static final byte LEGACY = 1;
  private static final byte EIP8 = 0;
  private static final byte[] KEY_A_ID = VectorSession.KEY_A.id().bytes();
  private static final byte[] KEY_B_ID = VectorSession.KEY_B.id().bytes();

  @FuzzTest(maxDuration = "60s")
  void recipientReadsAnyAuthBodyOrRefusesIt(byte[] input) {
    if (input.length == 0) {
      return;
    }
    SecureRandom random = VectorSession.deterministicRandom(Arrays.hashCode(input));
    Handshake b = VectorSession.recipientB(random);
    boolean legacy = (input[0] & 1) == LEGACY;
    byte[] packet = seal(Arrays.copyOfRange(input, 1, input.length), legacy, KEY_B_ID, random);
    if (packet == null) {
      return;
    }
    try {
      b.readPacket(packet, legacy);
    } catch (RlpxProtocolException refused) {
      return;
    }
    assertThat(b.remoteId()).isNotNull();
    assertThat(b.legacyPeer()).isEqualTo(legacy);
    assertThat(b.createAck()).isNotEmpty();
    assertThat(b.secrets().remoteId).isEqualTo(b.remoteId());
  }

  @FuzzTest(maxDuration = "60s")
  void initiatorReadsAnyAckBodyOrRefusesIt(byte[] input) {
    if (input.length == 0) {
      return;
    }
    SecureRandom random = VectorSession.deterministicRandom(Arrays.hashCode(input));
    Handshake a = VectorSession.initiatorA(random);
    a.createAuth();
    boolean legacy = (input[0] & 1) == LEGACY;
    byte[] packet = seal(Arrays.copyOfRange(input, 1, input.length), legacy, KEY_A_ID, random);
    if (packet == null) {
      return;
    }
    try {
      a.readPacket(packet, legacy);
    } catch (RlpxProtocolException refused) {
      return;
    }
    assertThat(a.remoteEphemeralKey()).hasSize(64);
    assertThat(a.secrets().remoteId).isEqualTo(VectorSession.KEY_B.id());
  }

  @FuzzTest(maxDuration = "60s")
  void recipientHandlerReadsAnyBytesOrRefusesThem(byte[] input) {
    runHandler(VectorSession.recipientB(VectorSession.deterministicRandom(1)), input);
  }

  @FuzzTest(maxDuration = "60s")
  void initiatorHandlerReadsAnyBytesOrRefusesThem(byte[] input) {
    runHandler(VectorSession.initiatorA(VectorSession.deterministicRandom(1)), input);
  }

  @Test
  void committedCorporaHoldTheSeeds() {
    FuzzCorpus.checkSeeds(
        HandshakeFuzzTest.class, "recipientReadsAnyAuthBodyOrRefusesIt", authBodySeeds());
    FuzzCorpus.checkSeeds(
        HandshakeFuzzTest.class, "initiatorReadsAnyAckBodyOrRefusesIt", ackBodySeeds());
    FuzzCorpus.checkSeeds(
        HandshakeFuzzTest.class,
        "recipientHandlerReadsAnyBytesOrRefusesThem",
        packetSeeds("auth1", "auth2", "auth3"));
    FuzzCorpus.checkSeeds(
        HandshakeFuzzTest.class,
        "initiatorHandlerReadsAnyBytesOrRefusesThem",
        packetSeeds("ack1", "ack2", "ack3"));
  }

  @Test
  void eachVectorSeedCompletesTheHandshakeThroughTheHandler() {
    for (String v : new String[] {"auth1", "auth2", "auth3"}) {
      assertThat(completes(VectorSession.recipientB(new SecureRandom()), Eip8Vectors.get(v)))
          .as(v)
          .isTrue();
    }
    for (String v : new String[] {"ack1", "ack2", "ack3"}) {
      assertThat(completes(VectorSession.initiatorA(new SecureRandom()), Eip8Vectors.get(v)))
          .as(v)
          .isTrue();
    }
  }

  /**
   * Encrypts {@code body} to {@code recipient} as a whole packet: bare ECIES for legacy, the size
   * prefix (authenticated by ECIES) and ECIES for EIP-8; null if EIP-8's 16-bit size cannot hold
   * it.
   */
  private static byte[] seal(byte[] body, boolean legacy, byte[] recipient, SecureRandom random) {
    if (legacy) {
      return Ecies.encrypt(recipient, body, new byte[0], random);
    }
    int size = body.length + Ecies.OVERHEAD;
    if (size > 0xffff) {
      return null;
    }
    byte[] prefix = {(byte) (size >>> 8), (byte) size};
    byte[] enc = Ecies.encrypt(recipient, body, prefix, random);
    byte[] packet = new byte[2 + enc.length];
    packet[0] = prefix[0];
    packet[1] = prefix[1];
    System.arraycopy(enc, 0, packet, 2, enc.length);
    return packet;
  }

  /**
   * Feeds {@code input[1..]} to a handler over {@code handshake} in pieces of {@code input[0]}
   * bytes (0: all at once). The only failures allowed are decoder exceptions caused by an {@link
   * RlpxProtocolException}, from the handshake or, once it is complete, from the frames after it; a
   * completed handshake must have announced itself and put the frame codec in its place.
   */
  private static void runHandler(Handshake handshake, byte[] input) {
    if (input.length == 0) {
      return;
    }
    int piece = input[0] & 0xff;
    byte[] stream = Arrays.copyOfRange(input, 1, input.length);
    Completion completion = new Completion();
    EmbeddedChannel ch = new EmbeddedChannel(new HandshakeHandler(handshake, 1 << 20), completion);
    try {
      for (int at = 0; at < stream.length; ) {
        int n = piece == 0 ? stream.length - at : Math.min(piece, stream.length - at);
        ch.writeInbound(Unpooled.wrappedBuffer(stream, at, n));
        at += n;
      }
      if (completion.remoteId != null) {
        assertThat(ch.pipeline().get(FrameCodec.class)).isNotNull();
        assertThat(ch.pipeline().get(HandshakeHandler.class)).isNull();
      }
    } finally {
      ch.finishAndReleaseAll();
    }
    for (Throwable e : completion.errors) {
      if (!(e instanceof DecoderException && e.getCause() instanceof RlpxProtocolException)) {
        throw new AssertionError("not a refusal the session understands", e);
      }
    }
  }

  private static boolean completes(Handshake handshake, byte[] packet) {
    Completion completion = new Completion();
    EmbeddedChannel ch = new EmbeddedChannel(new HandshakeHandler(handshake, 1 << 20), completion);
    ch.writeInbound(Unpooled.wrappedBuffer(packet));
    ch.finishAndReleaseAll();
    return completion.remoteId != null;
  }

  /** Records the handshake's completion event and every error; frames after it are released. */
  private static final class Completion extends ChannelInboundHandlerAdapter {
    NodeId remoteId;
    final List<Throwable> errors = new ArrayList<>();

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      errors.add(cause);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof HandshakeCompleted done) {
        remoteId = done.remoteId();
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ((ByteBuf) msg).release();
    }
  }

  /** The plaintexts of EIP-8's auth vectors, each behind its format byte, and edge cases. */
  static Map<String, byte[]> authBodySeeds() {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    seeds.put("auth1-legacy", withFormat(LEGACY, open(VectorSession.KEY_B, "auth1", true)));
    seeds.put("auth2-eip8", withFormat(EIP8, open(VectorSession.KEY_B, "auth2", false)));
    seeds.put(
        "auth3-eip8-extra-fields", withFormat(EIP8, open(VectorSession.KEY_B, "auth3", false)));
    seeds.put("empty-eip8", new byte[] {EIP8});
    seeds.put("empty-list-eip8", new byte[] {EIP8, (byte) 0xc0});
    return seeds;
  }

  /** The plaintexts of EIP-8's ack vectors, each behind its format byte, and edge cases. */
  static Map<String, byte[]> ackBodySeeds() {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    seeds.put("ack1-legacy", withFormat(LEGACY, open(VectorSession.KEY_A, "ack1", true)));
    seeds.put("ack2-eip8", withFormat(EIP8, open(VectorSession.KEY_A, "ack2", false)));
    seeds.put("ack3-eip8-extra-fields", withFormat(EIP8, open(VectorSession.KEY_A, "ack3", false)));
    seeds.put("empty-legacy", new byte[] {LEGACY});
    seeds.put("empty-list-eip8", new byte[] {EIP8, (byte) 0xc0});
    return seeds;
  }

  /** Each vector whole, and cut into 7-byte pieces; plus a size prefix below the minimum. */
  static Map<String, byte[]> packetSeeds(String... vectors) {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    for (String v : vectors) {
      seeds.put(v, withFormat((byte) 0, Eip8Vectors.get(v)));
      seeds.put(v + "-in-pieces", withFormat((byte) 7, Eip8Vectors.get(v)));
    }
    seeds.put("size-too-small", new byte[] {0, 0, 0x10, 1, 2, 3});
    return seeds;
  }

  private static byte[] open(NodeKey key, String vector, boolean legacy) {
    byte[] packet = Eip8Vectors.get(vector);
    try {
      return legacy
          ? Ecies.decrypt(key.privateKeyBytes(), packet, new byte[0])
          : Ecies.decrypt(
              key.privateKeyBytes(),
              Arrays.copyOfRange(packet, 2, packet.length),
              Arrays.copyOfRange(packet, 0, 2));
    } catch (GeneralSecurityException e) {
      throw new AssertionError("vector " + vector + " does not decrypt", e);
    }
  }

  private static byte[] withFormat(byte first, byte[] rest) {
    byte[] out = new byte[rest.length + 1];
    out[0] = first;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }
}
