package io.peerflow.rlpx;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageCodec;
import java.util.List;

/**
 * RLPx framing on the byte stream: encrypts and MACs outgoing frame data into frames, and checks
 * and decrypts incoming frames (see {@link FrameCipher}).
 *
 * <p>Inbound, a frame's size is known only after its header MAC has been checked and its header
 * decrypted; a size above the limit is refused right there, before the frame body is waited for or
 * allocated. After any error the codec discards all further input: the ingress cipher and MAC are
 * out of step and nothing after the error can be trusted. One instance per channel, installed by
 * the handshake handler, used from the channel's event loop.
 */
final class FrameCodec extends ByteToMessageCodec<ByteBuf> {

  /** This handler's name in the pipeline. */
  static final String NAME = "rlpx-frame";

  /** The part of a frame read before its size is known. */
  private static final int HEADER_WITH_MAC = FrameCipher.HEADER_LENGTH + FrameCipher.MAC_LENGTH;

  private final FrameCipher cipher;
  private final int maxFrameSize;
  private int pendingFrameSize = -1;
  private boolean failed;

  /**
   * @param maxFrameSize the largest frame-size accepted (at most the 24-bit field's range)
   */
  FrameCodec(Secrets secrets, int maxFrameSize) {
    super(ByteBuf.class);
    this.cipher = new FrameCipher(secrets);
    this.maxFrameSize = Math.min(maxFrameSize, FrameCipher.MAX_FRAME_SIZE);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, ByteBuf frameData, ByteBuf out) {
    int len = frameData.readableBytes();
    byte[] header = cipher.sealHeader(len);
    out.writeBytes(header);
    if (frameData.hasArray()) {
      // Sealed straight from the message's array: the cipher writes a fresh one anyway.
      out.writeBytes(
          cipher.sealBody(
              frameData.array(), frameData.arrayOffset() + frameData.readerIndex(), len));
      frameData.skipBytes(len);
    } else {
      byte[] data = new byte[len];
      frameData.readBytes(data);
      out.writeBytes(cipher.sealBody(data, 0, len));
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    try {
      if (pendingFrameSize < 0) {
        if (in.readableBytes() < HEADER_WITH_MAC) {
          return;
        }
        byte[] header = new byte[HEADER_WITH_MAC];
        in.readBytes(header);
        int size = cipher.openHeader(header);
        if (size > maxFrameSize) {
          throw RlpxProtocolException.protocol(
              "frame of " + size + " bytes above the " + maxFrameSize + "-byte limit");
        }
        pendingFrameSize = size;
      }
      int bodyLength = FrameCipher.paddedLength(pendingFrameSize) + FrameCipher.MAC_LENGTH;
      if (in.readableBytes() < bodyLength) {
        return;
      }
      byte[] data;
      if (in.hasArray()) {
        // Checked and decrypted straight from the socket's buffer into the frame's own array.
        data = cipher.openBody(in.array(), in.arrayOffset() + in.readerIndex(), pendingFrameSize);
        in.skipBytes(bodyLength);
      } else {
        byte[] body = new byte[bodyLength];
        in.readBytes(body);
        data = cipher.openBody(body, 0, pendingFrameSize);
      }
      out.add(Unpooled.wrappedBuffer(data));
      pendingFrameSize = -1;
    } catch (RuntimeException e) {
      failed = true;
      in.skipBytes(in.readableBytes());
      throw e;
    }
  }
}
