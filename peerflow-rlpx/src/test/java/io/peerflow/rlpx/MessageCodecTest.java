package io.peerflow.rlpx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageCodecTest {

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 0x0f, 0x10, 0x7f, 0x80, 200, 100_000, Integer.MAX_VALUE})
  void messagesRoundTripWithTheirIdAsAnRlpInteger(int code) {
    EmbeddedChannel ch = new EmbeddedChannel(new MessageCodec());
    byte[] payload = {(byte) 0xc2, 0x01, 0x02};
    ch.writeOutbound(new RlpxMessage(code, payload));
    ByteBuf frame = ch.readOutbound();
    byte[] wire = ByteBufUtil.getBytes(frame);
    frame.release();
    byte[] id = new io.peerflow.rlp.RlpWriter().writeLong(code).toByteArray();
    assertThat(wire).startsWith(id).endsWith(payload);
    ch.writeInbound(Unpooled.wrappedBuffer(wire));
    RlpxMessage m = ch.readInbound();
    assertThat(m.code()).isEqualTo(code);
    assertThat(m.payload()).isEqualTo(payload);
    ch.finishAndReleaseAll();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "00", "8100", "c0", "b8", "89010203040506070809", "8880000000000000"})
  void framesWithoutAValidMessageIdAreProtocolErrors(String hex) {
    EmbeddedChannel ch = new EmbeddedChannel(new MessageCodec());
    byte[] frame = java.util.HexFormat.of().parseHex(hex);
    assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(frame)))
        .satisfies(
            e ->
                assertThat(e.getCause())
                    .isInstanceOfAny(
                        RlpxProtocolException.class, io.peerflow.rlp.RlpException.class));
    ch.finishAndReleaseAll();
  }
}
