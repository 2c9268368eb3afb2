package io.peerflow.rlpx;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Runs the RLPx handshake on a fresh connection (see {@link Handshake}), then puts a {@link
 * FrameCodec} with the derived secrets in its place, fires {@link HandshakeCompleted} and removes
 * itself; bytes that arrived after the handshake packet go on to the frame codec.
 *
 * <p>Finding the end of the peer's packet: a legacy packet has a fixed length and, being an ECIES
 * message, starts with 0x04; an EIP-8 packet starts with its 16-bit size. So when the first byte is
 * 0x04 and a legacy packet's worth of bytes has arrived, we try to decrypt it as legacy once;
 * otherwise (or if that fails) the first two bytes are the size. An EIP-8 packet starting with 0x04
 * claims at least 1024 bytes, longer than any legacy packet, so the legacy attempt always comes
 * first. Allocation is bounded by the 16-bit size (64 KiB). After an error all further input is
 * discarded. One instance per channel.
 */
final class HandshakeHandler extends ByteToMessageDecoder {

  /** This handler's name in the pipeline. */
  static final String NAME = "rlpx-handshake";

  /** First byte of every legacy packet: the SEC1 tag of ECIES's uncompressed point R. */
  private static final int ECIES_POINT_PREFIX = 0x04;

  private final Handshake handshake;
  private final int maxFrameSize;
  private boolean started;
  private boolean legacyTried;
  private boolean failed;

  HandshakeHandler(Handshake handshake, int maxFrameSize) {
    this.handshake = handshake;
    this.maxFrameSize = maxFrameSize;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      start(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    start(ctx);
    super.channelActive(ctx);
  }

  /** The initiator speaks first. */
  private void start(ChannelHandlerContext ctx) {
    if (started) {
      return;
    }
    started = true;
    if (handshake.isInitiator()) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(handshake.createAuth()));
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    try {
      readPacket(ctx, in);
    } catch (RuntimeException e) {
      failed = true;
      in.skipBytes(in.readableBytes());
      throw e;
    }
  }

  private void readPacket(ChannelHandlerContext ctx, ByteBuf in) {
    int readable = in.readableBytes();
    if (readable < 2) {
      return;
    }
    int start = in.readerIndex();
    int legacyLength = handshake.legacyPacketLength();
    if (!legacyTried && in.getUnsignedByte(start) == ECIES_POINT_PREFIX) {
      if (readable < legacyLength) {
        return;
      }
      legacyTried = true;
      byte[] packet = new byte[legacyLength];
      in.getBytes(start, packet);
      if (handshake.tryReadLegacy(packet)) {
        in.skipBytes(legacyLength);
        complete(ctx);
        return;
      }
    }
    int size = in.getUnsignedShort(start);
    if (size < Handshake.MIN_EIP8_SIZE) {
      throw RlpxProtocolException.protocol("handshake packet size " + size + " is too small");
    }
    if (readable < 2 + size) {
      return;
    }
    byte[] packet = new byte[2 + size];
    in.readBytes(packet);
    handshake.readPacket(packet, false);
    complete(ctx);
  }

  private void complete(ChannelHandlerContext ctx) {
    if (!handshake.isInitiator()) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(handshake.createAck()));
    }
    Secrets secrets = handshake.secrets();
    ctx.pipeline().addAfter(ctx.name(), FrameCodec.NAME, new FrameCodec(secrets, maxFrameSize));
    ctx.fireUserEventTriggered(new HandshakeCompleted(handshake.remoteId()));
    // Removal is deferred by ByteToMessageDecoder until decode() returns; the bytes left in the
    // cumulation are then passed to the frame codec.
    ctx.pipeline().remove(this);
  }
}
