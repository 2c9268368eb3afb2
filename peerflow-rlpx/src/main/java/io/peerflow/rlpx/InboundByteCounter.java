package io.peerflow.rlpx;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The first handler of a connection's pipeline: tells the host's {@link RlpxObserver} how many
 * bytes each socket read brought, then passes them on untouched. One instance per channel; runs on
 * its event loop.
 */
final class InboundByteCounter extends ChannelInboundHandlerAdapter {

  /** This handler's name in the pipeline. */
  static final String NAME = "rlpx-inbound-bytes";

  private final RlpxObserver observer;

  InboundByteCounter(RlpxObserver observer) {
    this.observer = observer;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf b) {
      observer.bytesReceived(b.readableBytes());
    }
    ctx.fireChannelRead(msg);
  }
}
