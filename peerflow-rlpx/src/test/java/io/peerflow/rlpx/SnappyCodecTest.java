package io.peerflow.rlpx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Arrays;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SnappyCodecTest {

  private static EmbeddedChannel enabled(int max) {
    EmbeddedChannel ch = new EmbeddedChannel(new SnappyCodec(max));
    ch.pipeline().fireUserEventTriggered(SnappyCodec.ENABLE);
    return ch;
  }

  private static byte[] bytes(ByteBuf b) {
    try {
      return ByteBufUtil.getBytes(b);
    } finally {
      b.release();
    }
  }

  /** Snappy's little-endian base-128 length header. */
  private static byte[] varint(long v) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    while (v >= 0x80) {
      out.write((int) (v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.write((int) v);
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void passesFramesThroughUntilEnabled() {
    EmbeddedChannel ch = new EmbeddedChannel(new SnappyCodec(1 << 20));
    byte[] frame = {0x10, 1, 2, 3};
    ch.writeOutbound(Unpooled.wrappedBuffer(frame));
    assertThat(bytes(ch.readOutbound())).isEqualTo(frame);
    ch.writeInbound(Unpooled.wrappedBuffer(frame));
    assertThat(bytes(ch.readInbound())).isEqualTo(frame);
    ch.finishAndReleaseAll();
  }

  @Property(tries = 50)
  void payloadsRoundTripAndTheMessageIdStaysUncompressed(
      @ForAll @IntRange(min = 0, max = 100_000) int code,
      @ForAll @Size(max = 5000) byte[] payload) {
    byte[] id = new io.peerflow.rlp.RlpWriter().writeLong(code).toByteArray();
    EmbeddedChannel tx = enabled(1 << 20);
    EmbeddedChannel rx = enabled(1 << 20);
    tx.writeOutbound(Unpooled.wrappedBuffer(concat(id, payload)));
    byte[] wire = bytes(tx.readOutbound());
    assertThat(Arrays.copyOf(wire, id.length)).isEqualTo(id);
    rx.writeInbound(Unpooled.wrappedBuffer(wire));
    assertThat(bytes(rx.readInbound())).isEqualTo(concat(id, payload));
    tx.finishAndReleaseAll();
    rx.finishAndReleaseAll();
  }

  @Test
  void compressesRepetitivePayloads() {
    EmbeddedChannel tx = enabled(1 << 20);
    tx.writeOutbound(Unpooled.wrappedBuffer(concat(new byte[] {0x10}, new byte[10_000])));
    assertThat(bytes(tx.readOutbound()).length).isLessThan(1000);
    tx.finishAndReleaseAll();
  }

  @Test
  void aDeclaredLengthAboveTheLimitIsRefusedBeforeDecompressing() {
    EmbeddedChannel rx = enabled(RlpxConfig.DEFAULT_MAX_MESSAGE_SIZE);
    // msg-id 0x10, then a Snappy varint declaring 16 MiB + 1 bytes, then almost nothing.
    int declared = RlpxConfig.DEFAULT_MAX_MESSAGE_SIZE + 1;
    byte[] frame = concat(concat(new byte[] {0x10}, varint(declared)), new byte[] {0x00});
    assertThatThrownBy(() -> rx.writeInbound(Unpooled.wrappedBuffer(frame)))
        .hasRootCauseInstanceOf(RlpxProtocolException.class)
        .hasMessageContaining("declares " + declared + " bytes uncompressed");
    rx.finishAndReleaseAll();
  }

  @Test
  void aDeclaredLengthTheCompressedBytesCannotHoldIsRefusedBeforeAllocatingIt() {
    // Found by SnappyCodecFuzzTest: 24 bytes declaring 2 MiB made the codec allocate 2 MiB.
    EmbeddedChannel rx = enabled(RlpxConfig.DEFAULT_MAX_MESSAGE_SIZE);
    byte[] frame = HexFormat.of().parseHex("10ffffff00fe0900fe0900fe0900fe0900fe0900fe09007f");
    assertThatThrownBy(() -> rx.writeInbound(Unpooled.wrappedBuffer(frame)))
        .hasRootCauseInstanceOf(RlpxProtocolException.class)
        .hasMessageContaining("declares 2097151 bytes uncompressed, more than its 23 compressed");
    // The largest expansion Snappy allows still passes the check: 64 bytes from each 3-byte copy.
    byte[] plain = new byte[64 * 100];
    EmbeddedChannel tx = enabled(RlpxConfig.DEFAULT_MAX_MESSAGE_SIZE);
    tx.writeOutbound(Unpooled.wrappedBuffer(concat(new byte[] {0x10}, plain)));
    rx.finishAndReleaseAll();
    EmbeddedChannel rx2 = enabled(RlpxConfig.DEFAULT_MAX_MESSAGE_SIZE);
    rx2.writeInbound((ByteBuf) tx.readOutbound());
    assertThat(bytes(rx2.readInbound())).hasSize(1 + plain.length);
    rx2.finishAndReleaseAll();
    tx.finishAndReleaseAll();
  }

  @Test
  void theLargestVarintIsRefusedToo() {
    EmbeddedChannel rx = enabled(RlpxConfig.DEFAULT_MAX_MESSAGE_SIZE);
    byte[] frame = {0x10, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0x00};
    assertThatThrownBy(() -> rx.writeInbound(Unpooled.wrappedBuffer(frame)))
        .hasMessageContaining("declares 4294967295 bytes");
    rx.finishAndReleaseAll();
  }

  @Test
  void malformedLengthHeadersAreRefused() {
    assertThatThrownBy(() -> SnappyCodec.uncompressedLength(new byte[] {(byte) 0x80}))
        .hasMessageContaining("truncated");
    assertThatThrownBy(
            () ->
                SnappyCodec.uncompressedLength(
                    new byte[] {
                      (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01
                    }))
        .hasMessageContaining("longer than 5 bytes");
    assertThat(SnappyCodec.uncompressedLength(new byte[] {(byte) 0xac, 0x02})).isEqualTo(300);
  }

  @Test
  void garbageAfterAValidLengthIsAProtocolError() {
    EmbeddedChannel rx = enabled(1 << 20);
    byte[] frame = {0x10, 100, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    assertThatThrownBy(() -> rx.writeInbound(Unpooled.wrappedBuffer(frame)))
        .hasRootCauseInstanceOf(RlpxProtocolException.class)
        .hasMessageContaining("snappy");
    rx.finishAndReleaseAll();
  }

  @Test
  void dataShorterThanDeclaredIsAProtocolError() {
    EmbeddedChannel rx = enabled(1 << 20);
    // Declares 10 bytes, holds a literal of 3.
    byte[] frame = {0x10, 10, 0x08, 'a', 'b', 'c'};
    assertThatThrownBy(() -> rx.writeInbound(Unpooled.wrappedBuffer(frame)))
        .hasRootCauseInstanceOf(RlpxProtocolException.class);
    rx.finishAndReleaseAll();
  }

  @Test
  void refusesToSendMessagesAboveTheLimit() {
    EmbeddedChannel tx = enabled(1024);
    assertThat(tx.writeOneOutbound(Unpooled.wrappedBuffer(new byte[1026])).cause())
        .hasMessageContaining("above the 1024-byte limit");
    tx.finishAndReleaseAll();
  }
}
