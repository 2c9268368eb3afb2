package io.peerflow.rlpx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

  private final HandshakePair pair = new HandshakePair();
  private final EmbeddedChannel a =
      new EmbeddedChannel(
          new FrameCodec(pair.initiatorSecrets(), RlpxConfig.DEFAULT_MAX_MESSAGE_SIZE));
  private final EmbeddedChannel b =
      new EmbeddedChannel(
          new FrameCodec(pair.recipientSecrets(), RlpxConfig.DEFAULT_MAX_MESSAGE_SIZE));

  @AfterEach
  void close() {
    a.finishAndReleaseAll();
    b.finishAndReleaseAll();
  }

  private static byte[] wire(EmbeddedChannel ch, byte[] frameData) {
    ch.writeOutbound(Unpooled.wrappedBuffer(frameData));
    ByteBuf out = ch.readOutbound();
    try {
      return ByteBufUtil.getBytes(out);
    } finally {
      out.release();
    }
  }

  private static byte[] read(EmbeddedChannel ch) {
    ByteBuf in = ch.readInbound();
    try {
      return ByteBufUtil.getBytes(in);
    } finally {
      in.release();
    }
  }

  @Test
  void framesRoundTripInBothDirectionsWithPaddingToSixteenBytes() {
    Random rnd = new Random(1);
    for (int len : new int[] {1, 15, 16, 17, 100, 1000, 70_000}) {
      byte[] data = new byte[len];
      rnd.nextBytes(data);
      byte[] frame = wire(a, data);
      assertThat(frame).hasSize(32 + FrameCipher.paddedLength(len) + 16);
      b.writeInbound(Unpooled.wrappedBuffer(frame));
      assertThat(read(b)).isEqualTo(data);

      byte[] back = wire(b, data);
      a.writeInbound(Unpooled.wrappedBuffer(back));
      assertThat(read(a)).isEqualTo(data);
    }
  }

  @Property(tries = 20)
  void framesSurviveArbitraryFragmentation(
      @ForAll @Size(min = 1, max = 3000) byte[] data,
      @ForAll @Size(min = 1, max = 40) byte[] cuts) {
    HandshakePair p = new HandshakePair();
    EmbeddedChannel tx = new EmbeddedChannel(new FrameCodec(p.initiatorSecrets(), 1 << 20));
    EmbeddedChannel rx = new EmbeddedChannel(new FrameCodec(p.recipientSecrets(), 1 << 20));
    byte[] stream = new byte[0];
    for (int i = 0; i < 3; i++) {
      byte[] f = wire(tx, data);
      byte[] joined = new byte[stream.length + f.length];
      System.arraycopy(stream, 0, joined, 0, stream.length);
      System.arraycopy(f, 0, joined, stream.length, f.length);
      stream = joined;
    }
    int pos = 0;
    for (int i = 0; pos < stream.length; i++) {
      int n = Math.min(stream.length - pos, 1 + (cuts[i % cuts.length] & 0xff));
      rx.writeInbound(Unpooled.wrappedBuffer(stream, pos, n));
      pos += n;
    }
    for (int i = 0; i < 3; i++) {
      assertThat(read(rx)).isEqualTo(data);
    }
    assertThat(rx.<Object>readInbound()).isNull();
    tx.finishAndReleaseAll();
    rx.finishAndReleaseAll();
  }

  @Test
  void aCorruptedHeaderMacIsRefusedAndLaterInputDiscarded() {
    byte[] frame = wire(a, new byte[] {1, 2, 3});
    frame[20] ^= 1; // inside the header MAC
    assertThatThrownBy(() -> b.writeInbound(Unpooled.wrappedBuffer(frame)))
        .isInstanceOf(DecoderException.class)
        .hasRootCauseInstanceOf(RlpxProtocolException.class)
        .hasMessageContaining("header MAC mismatch");
    // The ingress state is broken now; even a good frame is not delivered.
    b.writeInbound(Unpooled.wrappedBuffer(wire(a, new byte[] {4})));
    assertThat(b.<Object>readInbound()).isNull();
  }

  @Test
  void aCorruptedHeaderCiphertextFailsTheHeaderMac() {
    byte[] frame = wire(a, new byte[] {1, 2, 3});
    frame[0] ^= (byte) 0x80; // would announce a huge size if it were trusted
    assertThatThrownBy(() -> b.writeInbound(Unpooled.wrappedBuffer(frame)))
        .hasMessageContaining("header MAC mismatch");
  }

  @Test
  void aCorruptedFrameBodyFailsTheFrameMac() {
    byte[] frame = wire(a, new byte[40]);
    frame[35] ^= 1; // first byte of the frame ciphertext
    assertThatThrownBy(() -> b.writeInbound(Unpooled.wrappedBuffer(frame)))
        .hasRootCauseInstanceOf(RlpxProtocolException.class)
        .hasMessageContaining("frame MAC mismatch");
  }

  @Test
  void anOversizeFrameIsRefusedFromItsHeaderAloneBeforeTheBodyIsBufferedOrAllocated() {
    EmbeddedChannel small = new EmbeddedChannel(new FrameCodec(pair.recipientSecrets(), 1024));
    byte[] frame = wire(a, new byte[5000]);
    // Only the 32-byte header has arrived: the size is known, and that is enough to refuse.
    assertThatThrownBy(() -> small.writeInbound(Unpooled.wrappedBuffer(frame, 0, 32)))
        .hasRootCauseInstanceOf(RlpxProtocolException.class)
        .hasMessageContaining("frame of 5000 bytes above the 1024-byte limit");
    small.finishAndReleaseAll();
  }

  @Test
  void framesLargerThanTheTwentyFourBitSizeFieldCannotBeSent() {
    assertThat(
            a.writeOneOutbound(Unpooled.wrappedBuffer(new byte[FrameCipher.MAX_FRAME_SIZE + 1]))
                .cause())
        .hasMessageContaining("24-bit");
  }
}
