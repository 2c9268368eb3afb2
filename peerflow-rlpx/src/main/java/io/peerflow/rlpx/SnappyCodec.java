package io.peerflow.rlpx;

import io.airlift.compress.MalformedInputException;
import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import java.util.List;

/**
 * Snappy compression of message payloads (EIP-706): once enabled, {@code frame-data = msg-id ||
 * snappy(msg-data)}, in the Snappy block format, in both directions. Passes frames through
 * unchanged until the session handler fires {@link #ENABLE}, which it does after the Hello exchange
 * when both peers speak p2p version 5 or later.
 *
 * <p>Inbound, the uncompressed length that starts every Snappy block is read and checked against
 * the message limit, and against what the block's own size can expand to, before the output buffer
 * is allocated, so a few bytes claiming a huge message cost nothing (rlpx.md: "check for the
 * uncompressed size of the data before decoding the message"). One instance per channel, used from
 * its event loop.
 */
final class SnappyCodec extends MessageToMessageCodec<ByteBuf, ByteBuf> {

  /** This handler's name in the pipeline. */
  static final String NAME = "rlpx-snappy";

  /** The user event that turns compression on; fired once, after the Hello exchange. */
  static final Object ENABLE =
      new Object() {
        @Override
        public String toString() {
          return "SnappyCodec.ENABLE";
        }
      };

  /**
   * The most a Snappy block can expand: a copy with a two-byte offset (3 bytes) writes up to 64
   * bytes, and no other element does better. A block that declares more than 64 bytes per 3 of its
   * own cannot be valid, and is refused before the declared length is allocated: otherwise a few
   * bytes declaring 16 MiB would cost 16 MiB each.
   */
  private static final long MAX_EXPANSION_PER_3_BYTES = 64;

  private final int maxMessageSize;
  private final SnappyCompressor compressor = new SnappyCompressor();
  private final SnappyDecompressor decompressor = new SnappyDecompressor();
  private boolean enabled;

  /**
   * @param maxMessageSize the largest uncompressed payload accepted or sent
   */
  SnappyCodec(int maxMessageSize) {
    this.maxMessageSize = maxMessageSize;
  }

  boolean isEnabled() {
    return enabled;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt == ENABLE) {
      enabled = true;
    } else {
      super.userEventTriggered(ctx, evt);
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
    if (!enabled) {
      out.add(frame.retain());
      return;
    }
    byte[] id = readId(frame);
    byte[] compressed = new byte[frame.readableBytes()];
    frame.readBytes(compressed);
    long declared = uncompressedLength(compressed);
    if (declared > maxMessageSize) {
      throw RlpxProtocolException.protocol(
          "snappy message declares "
              + declared
              + " bytes uncompressed, above the "
              + maxMessageSize
              + "-byte limit");
    }
    if (declared * 3 > (long) compressed.length * MAX_EXPANSION_PER_3_BYTES) {
      throw RlpxProtocolException.protocol(
          "snappy message declares "
              + declared
              + " bytes uncompressed, more than its "
              + compressed.length
              + " compressed bytes can hold");
    }
    byte[] plain = new byte[(int) declared];
    int n;
    try {
      n = decompressor.decompress(compressed, 0, compressed.length, plain, 0, plain.length);
    } catch (MalformedInputException | IllegalArgumentException e) {
      throw RlpxProtocolException.protocol("malformed snappy data: " + e.getMessage());
    }
    if (n != declared) {
      throw RlpxProtocolException.protocol(
          "snappy data decompressed to " + n + " bytes, header said " + declared);
    }
    out.add(Unpooled.wrappedBuffer(id, plain));
  }

  /** The message id's RLP, which EIP-706 leaves uncompressed ahead of the compressed data. */
  private static byte[] readId(ByteBuf frame) {
    byte[] id = new byte[MessageCodec.idLength(frame)];
    frame.readBytes(id);
    return id;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
    if (!enabled) {
      out.add(frame.retain());
      return;
    }
    byte[] id = readId(frame);
    int len = frame.readableBytes();
    if (len > maxMessageSize) {
      throw new IllegalArgumentException(
          "message of " + len + " bytes above the " + maxMessageSize + "-byte limit");
    }
    byte[] plain = new byte[len];
    frame.readBytes(plain);
    byte[] compressed = new byte[compressor.maxCompressedLength(len)];
    int n = compressor.compress(plain, 0, len, compressed, 0, compressed.length);
    out.add(
        Unpooled.wrappedBuffer(
            Unpooled.wrappedBuffer(id), Unpooled.wrappedBuffer(compressed, 0, n)));
  }

  /**
   * The uncompressed length a Snappy block starts with: a little-endian base-128 varint of at most
   * 5 bytes (32 bits).
   *
   * @throws RlpxProtocolException if the varint is missing, truncated or longer than 5 bytes
   */
  static long uncompressedLength(byte[] block) {
    long value = 0;
    for (int i = 0; i < 5; i++) {
      if (i >= block.length) {
        throw RlpxProtocolException.protocol("snappy block truncated in its length header");
      }
      int b = block[i] & 0xff;
      value |= (long) (b & 0x7f) << (7 * i);
      if (b < 0x80) {
        return value;
      }
    }
    throw RlpxProtocolException.protocol("snappy length header longer than 5 bytes");
  }
}
