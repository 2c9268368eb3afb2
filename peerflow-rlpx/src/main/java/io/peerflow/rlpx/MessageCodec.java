package io.peerflow.rlpx;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import io.peerflow.rlp.RlpReader;
import io.peerflow.rlp.RlpWriter;
import java.util.List;

/**
 * Splits frame data into message id and payload, and joins them back: {@code frame-data = msg-id ||
 * msg-data}, the id an RLP integer (rlpx.md, "Message Encoding").
 *
 * <p>One instance per channel (it is a Netty codec, used from its event loop). A frame without a
 * valid id is a breach of protocol.
 */
final class MessageCodec extends MessageToMessageCodec<ByteBuf, RlpxMessage> {

  /** This handler's name in the pipeline. */
  static final String NAME = "rlpx-message";

  /** An RLP integer in a long fits in 1 + 8 bytes. */
  private static final int MAX_ID_LENGTH = 9;

  /**
   * Length of the RLP-encoded message id at the start of {@code frame}, checked to be an RLP string
   * header of a plausible integer; the value itself is checked by {@link #messageId}.
   */
  static int idLength(ByteBuf frame) {
    if (!frame.isReadable()) {
      throw RlpxProtocolException.protocol("empty frame: no message id");
    }
    int b = frame.getUnsignedByte(frame.readerIndex());
    int len = b < 0x80 ? 1 : b <= 0x80 + MAX_ID_LENGTH - 1 ? 1 + b - 0x80 : -1;
    if (len < 0 || len > frame.readableBytes()) {
      throw RlpxProtocolException.protocol("frame does not start with an RLP message id");
    }
    return len;
  }

  /** Reads the message id at the start of {@code frame}, strictly, and moves past it. */
  static int messageId(ByteBuf frame) {
    byte[] id = new byte[idLength(frame)];
    frame.readBytes(id);
    long code = new RlpReader(id).readLong();
    if (code > Integer.MAX_VALUE) {
      throw RlpxProtocolException.protocol("message id " + code + " out of range");
    }
    return (int) code;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
    int code = messageId(frame);
    byte[] payload = new byte[frame.readableBytes()];
    frame.readBytes(payload);
    out.add(new RlpxMessage(code, payload));
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, RlpxMessage msg, List<Object> out) {
    byte[] id = new RlpWriter(MAX_ID_LENGTH).writeLong(msg.code()).toByteArray();
    out.add(Unpooled.wrappedBuffer(id, msg.payload()));
  }
}
