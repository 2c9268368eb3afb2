package io.peerflow.rlpx;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.peerflow.rlp.RlpException;
import io.peerflow.rlp.RlpWriter;
import io.peerflow.testkit.FuzzCorpus;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the inbound side of a session after the handshake, with the real secrets of EIP-8's vector
 * session: {@link FrameCodec}, then {@link SnappyCodec}, then {@link MessageCodec}, as a
 * connection's pipeline has them.
 *
 * <p>Random bytes never pass a frame MAC, so by default the input describes frames, which the test
 * seals with the sending side's cipher: the fuzzer writes what is inside the encryption. The first
 * byte of the input holds flags:
 *
 * <ul>
 *   <li>bit 0: Snappy is on (frame data is {@code id || snappy(payload)});
 *   <li>bit 1: each frame's header announces a size of the fuzzer's choosing, not the true one;
 *   <li>bit 2: raw: the rest is the byte stream itself, not frames to seal;
 *   <li>bits 3-7: the stream arrives in pieces of that many bytes (0: all at once).
 * </ul>
 *
 * Then frames follow as {@code [announced size (3 bytes), if bit 1] [length (2 bytes)] [data]}, the
 * last one cut short by the end of the input. The pipeline must either deliver messages or refuse
 * the stream with an {@link RlpxProtocolException} or {@link RlpException} (both end the session as
 * a breach of protocol); honest frames without Snappy must arrive exactly as sealed.
 */
class FrameCodecFuzzTest {

  /** Small enough that announced sizes above it are easy to reach, large enough for real frames. */
  private static final int MAX = 64 * 1024;

  private static final int SNAPPY = 1;
  private static final int ANNOUNCED_SIZES = 2;
  private static final int RAW = 4;

  private static final Secrets SENDER = VectorSession.initiatorSecrets();
  private static final Secrets RECEIVER = VectorSession.recipientSecrets();

  @FuzzTest(maxDuration = "60s")
  void readsAnyFramesOrRefusesThem(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int flags = input[0] & 0xff;
    int piece = flags >>> 3;
    byte[] rest = Arrays.copyOfRange(input, 1, input.length);
    List<byte[]> sealed = new ArrayList<>();
    byte[] stream = (flags & RAW) != 0 ? rest : seal(rest, (flags & ANNOUNCED_SIZES) != 0, sealed);

    Tail tail = new Tail();
    EmbeddedChannel ch =
        new EmbeddedChannel(
            new FrameCodec(RECEIVER, MAX), new SnappyCodec(MAX), new MessageCodec(), tail);
    if ((flags & SNAPPY) != 0) {
      ch.pipeline().fireUserEventTriggered(SnappyCodec.ENABLE);
    }
    try {
      for (int at = 0; at < stream.length; ) {
        int n = piece == 0 ? stream.length - at : Math.min(piece, stream.length - at);
        ch.writeInbound(Unpooled.wrappedBuffer(stream, at, n));
        at += n;
      }
    } finally {
      ch.finishAndReleaseAll();
    }
    // Every error, not only the first: frames already split off go on through the codecs.
    for (Throwable e : tail.errors) {
      if (!(e instanceof DecoderException
          && (e.getCause() instanceof RlpxProtocolException
              || e.getCause() instanceof RlpException))) {
        throw new AssertionError("not a refusal the session understands", e);
      }
    }
    List<RlpxMessage> received = tail.messages;
    boolean refused = !tail.errors.isEmpty();
    if ((flags & (RAW | ANNOUNCED_SIZES | SNAPPY)) == 0) {
      // Honest frames arrive whole and in order; those without a valid id are refused.
      int next = 0;
      for (RlpxMessage m : received) {
        byte[] frameData = concat(new RlpWriter().writeLong(m.code()).toByteArray(), m.payload());
        while (next < sealed.size() && !Arrays.equals(sealed.get(next), frameData)) {
          next++;
        }
        assertThat(next).as("message %s among the frames sealed", m).isLessThan(sealed.size());
        next++;
      }
      if (!refused) {
        assertThat(received).hasSameSizeAs(sealed);
      }
    }
  }

  /** The session's place in the pipeline: takes every message and every error. */
  private static final class Tail extends ChannelInboundHandlerAdapter {
    final List<RlpxMessage> messages = new ArrayList<>();
    final List<Throwable> errors = new ArrayList<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      messages.add((RlpxMessage) msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      errors.add(cause);
    }
  }

  @Test
  void committedCorpusHoldsTheSeeds() {
    FuzzCorpus.checkSeeds(FrameCodecFuzzTest.class, "readsAnyFramesOrRefusesThem", seeds());
  }

  /**
   * Seals the frames {@code spec} describes with a fresh sending cipher of the vector session and
   * returns the wire bytes; the frame data it sealed is added to {@code sealed}.
   */
  private static byte[] seal(byte[] spec, boolean announcedSizes, List<byte[]> sealed) {
    FrameCipher cipher = new FrameCipher(SENDER);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    int at = 0;
    while (at < spec.length) {
      int announced = -1;
      if (announcedSizes) {
        if (at + 3 > spec.length) {
          break;
        }
        announced = (spec[at] & 0xff) << 16 | (spec[at + 1] & 0xff) << 8 | (spec[at + 2] & 0xff);
        at += 3;
      }
      if (at + 2 > spec.length) {
        break;
      }
      int len = (spec[at] & 0xff) << 8 | (spec[at + 1] & 0xff);
      at += 2;
      byte[] data = Arrays.copyOfRange(spec, at, Math.min(spec.length, at + len));
      at += data.length;
      wire.writeBytes(cipher.sealHeader(announced < 0 ? data.length : announced));
      wire.writeBytes(cipher.sealBody(data, 0, data.length));
      sealed.add(data);
    }
    return wire.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** A frame spec: a 2-byte length and the data. */
  private static byte[] frame(byte[] data) {
    return concat(new byte[] {(byte) (data.length >>> 8), (byte) data.length}, data);
  }

  private static byte[] input(int flags, byte[]... frames) {
    byte[] out = {(byte) flags};
    for (byte[] f : frames) {
      out = concat(out, f);
    }
    return out;
  }

  static Map<String, byte[]> seeds() {
    byte[] hello = Eip8Vectors.get("hello");
    byte[] ping = {0x02, (byte) 0xc0};
    byte[] eth = new byte[300];
    eth[0] = 0x13;
    Arrays.fill(eth, 1, eth.length, (byte) 0x42);
    // A Snappy frame: id 0x10, then the block "length 5, literal of 5 bytes".
    byte[] snappyStatus = {0x10, 0x05, 0x10, (byte) 0xc4, 0x01, 0x02, 0x03, 0x04};
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    seeds.put(
        "hello-then-ping", input(0, frame(concat(new byte[] {(byte) 0x80}, hello)), frame(ping)));
    seeds.put("three-frames-in-pieces", input(5 << 3, frame(ping), frame(eth), frame(ping)));
    seeds.put("empty-frame", input(0, frame(new byte[0])));
    seeds.put("snappy-frame", input(SNAPPY, frame(snappyStatus)));
    seeds.put(
        "announced-size-above-limit", input(ANNOUNCED_SIZES, new byte[] {0x10, 0, 0}, frame(ping)));
    seeds.put(
        "announced-size-within-padding",
        input(ANNOUNCED_SIZES, new byte[] {0, 0, 5}, frame(new byte[] {2, (byte) 0xc0, 0})));
    seeds.put("raw-garbage", input(RAW, new byte[64]));
    return seeds;
  }
}
