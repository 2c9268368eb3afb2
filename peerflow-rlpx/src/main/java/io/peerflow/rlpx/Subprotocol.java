package io.peerflow.rlpx;

import java.util.Objects;

/**
 * A capability this node supports, with the factory of its per-connection handlers; an immutable
 * value.
 *
 * <p>Register one per version (e.g. eth/67 and eth/68); negotiation picks the highest version both
 * sides share.
 */
public record Subprotocol(Capability capability, ProtocolHandlerFactory factory) {
  public Subprotocol {
    Objects.requireNonNull(capability, "capability");
    Objects.requireNonNull(factory, "factory");
  }
}
