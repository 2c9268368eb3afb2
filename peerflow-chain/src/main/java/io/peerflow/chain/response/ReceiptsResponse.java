package io.peerflow.chain.response;

import io.peerflow.chain.block.BlockReceipts;
import io.peerflow.peers.Response;
import java.util.List;

/**
 * A peer's answer to a receipts request: one receipt list per requested block, in request order,
 * possibly fewer than requested. What a {@code RemotePeer} completes {@code requestReceipts} with.
 * Immutable.
 */
public record ReceiptsResponse(List<BlockReceipts> receipts) implements Response {

  public ReceiptsResponse {
    receipts = List.copyOf(receipts);
  }

  @Override
  public int itemCount() {
    return receipts.size();
  }
}
