package io.peerflow.chain.response;

import io.peerflow.chain.block.BlockBody;
import io.peerflow.peers.Response;
import java.util.List;

/**
 * A peer's answer to a bodies request, in request order, possibly shorter than the request: what a
 * {@code RemotePeer} completes {@code requestBodies} with. Immutable.
 */
public record BodiesResponse(List<BlockBody> bodies) implements Response {

  public BodiesResponse {
    bodies = List.copyOf(bodies);
  }

  @Override
  public int itemCount() {
    return bodies.size();
  }
}
