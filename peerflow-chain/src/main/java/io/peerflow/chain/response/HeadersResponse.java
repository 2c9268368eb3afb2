package io.peerflow.chain.response;

import io.peerflow.chain.block.BlockHeader;
import io.peerflow.peers.Response;
import java.util.List;

/**
 * A peer's answer to a header request, decoded: what a {@code RemotePeer} completes {@code
 * requestHeadersBy*} with so that the sync engine can verify it. Immutable.
 */
public record HeadersResponse(List<BlockHeader> headers) implements Response {

  public HeadersResponse {
    headers = List.copyOf(headers);
  }

  @Override
  public int itemCount() {
    return headers.size();
  }
}
