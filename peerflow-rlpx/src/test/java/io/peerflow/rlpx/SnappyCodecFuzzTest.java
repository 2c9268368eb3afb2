package io.peerflow.rlpx;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.peerflow.testkit.FuzzCorpus;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@link SnappyCodec}'s inbound side with arbitrary frames ({@code id || snappy block}) at
 * the real 16 MiB message limit: each is decompressed or refused with an {@link
 * RlpxProtocolException}, what it decompresses to survives compression and decompression unchanged,
 * and what it allocates stays in proportion to the frame, since a peer must not make the node
 * allocate megabytes for a few bytes (the codec's promise).
 */
class SnappyCodecFuzzTest {

  private static final int MAX = RlpxConfig.DEFAULT_MAX_MESSAGE_SIZE;

  /**
   * What decoding a frame of n bytes may allocate: Snappy expands at most 64 bytes per 3 (a
   * two-byte-offset copy), so 32 n covers a valid message and its copies; 256 KiB covers Netty's
   * buffers and a few exception messages.
   */
  private static long allocationBound(int frameLength) {
    return 32L * frameLength + 256 * 1024;
  }

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @FuzzTest(maxDuration = "60s")
  void decompressesAnyFrameOrRefusesIt(byte[] frame) {
    // Measured on a second decoding: the first of a new path also pays for loading its classes.
    byte[] plain = decode(frame);
    assertThat(allocatedToDecode(frame))
        .as("bytes allocated to decode a frame of %d bytes", frame.length)
        .isLessThanOrEqualTo(allocationBound(frame.length));
    if (plain != null) {
      assertThat(decode(encode(plain))).isEqualTo(plain);
    }
  }

  private static long allocatedToDecode(byte[] frame) {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    decode(frame);
    return THREADS.getCurrentThreadAllocatedBytes() - before;
  }

  @Test
  void committedCorpusHoldsTheSeeds() {
    FuzzCorpus.checkSeeds(SnappyCodecFuzzTest.class, "decompressesAnyFrameOrRefusesIt", seeds());
  }

  /** The frame's id and decompressed payload, or null if the codec refused it as it should. */
  private static byte[] decode(byte[] frame) {
    EmbeddedChannel ch = enabled();
    try {
      ch.writeInbound(Unpooled.wrappedBuffer(frame));
      ByteBuf out = ch.readInbound();
      try {
        return ByteBufUtil.getBytes(out);
      } finally {
        out.release();
      }
    } catch (DecoderException e) {
      if (e.getCause() instanceof RlpxProtocolException) {
        return null;
      }
      throw e;
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  private static byte[] encode(byte[] message) {
    EmbeddedChannel ch = enabled();
    try {
      ch.writeOutbound(Unpooled.wrappedBuffer(message));
      ByteBuf out = ch.readOutbound();
      try {
        return ByteBufUtil.getBytes(out);
      } finally {
        out.release();
      }
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  private static EmbeddedChannel enabled() {
    EmbeddedChannel ch = new EmbeddedChannel(new SnappyCodec(MAX));
    ch.pipeline().fireUserEventTriggered(SnappyCodec.ENABLE);
    return ch;
  }

  static Map<String, byte[]> seeds() {
    byte[] text = new byte[2000];
    for (int i = 0; i < text.length; i++) {
      text[i] = (byte) "peerflow ".charAt(i % 9);
    }
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    seeds.put("repetitive-message", encode(concat(new byte[] {0x13}, text)));
    seeds.put("short-message", encode(new byte[] {0x10, (byte) 0xc3, 0x01, 0x02, 0x03}));
    seeds.put("empty-message", encode(new byte[] {0x02}));
    seeds.put("two-byte-id", encode(new byte[] {(byte) 0x81, (byte) 0x80, (byte) 0xc0}));
    // Length 5, then a literal of 4 bytes: one byte short of what the header promised.
    seeds.put("shorter-than-declared", new byte[] {0x10, 0x05, 0x0c, 1, 2, 3, 4});
    seeds.put("length-header-too-long", new byte[] {0x10, -1, -1, -1, -1, -1, 0x01});
    seeds.put("declares-above-the-limit", new byte[] {0x10, -1, -1, -1, 0x7f});
    return seeds;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
