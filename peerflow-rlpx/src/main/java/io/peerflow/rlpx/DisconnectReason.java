package io.peerflow.rlpx;

/**
 * Why a devp2p connection ended: the reason codes of the base protocol's Disconnect message
 * (rlpx.md, "Disconnect (0x01)") with their names; an immutable enum.
 *
 * <p>Codes a peer sends that the spec does not define are reported as {@link #UNKNOWN}; the raw
 * code then appears in the {@link Disconnection#detail()}.
 */
public enum DisconnectReason {
  /** 0x00: disconnect requested. */
  REQUESTED(0x00, "disconnect requested"),
  /** 0x01: TCP sub-system error; also how we report a connection that simply dropped. */
  TCP_ERROR(0x01, "TCP sub-system error"),
  /** 0x02: breach of protocol, e.g. a malformed message, bad RLP, a bad MAC. */
  PROTOCOL_ERROR(0x02, "breach of protocol"),
  /** 0x03: useless peer (e.g. no shared capability). */
  USELESS_PEER(0x03, "useless peer"),
  /** 0x04: too many peers. */
  TOO_MANY_PEERS(0x04, "too many peers"),
  /** 0x05: already connected. */
  ALREADY_CONNECTED(0x05, "already connected"),
  /** 0x06: incompatible p2p protocol version. */
  INCOMPATIBLE_P2P_VERSION(0x06, "incompatible p2p protocol version"),
  /** 0x07: null node identity received. */
  NULL_NODE_IDENTITY(0x07, "null node identity received"),
  /** 0x08: client quitting. */
  CLIENT_QUITTING(0x08, "client quitting"),
  /** 0x09: unexpected identity in handshake. */
  UNEXPECTED_IDENTITY(0x09, "unexpected identity in handshake"),
  /** 0x0a: identity is the same as this node (connected to itself). */
  SELF_CONNECTION(0x0a, "connected to self"),
  /**
   * 0x0b: ping timeout. We also use it for every other timeout (handshake not finished in time,
   * nothing read for the idle timeout): go-ethereum names this code "read timeout", which is what
   * they all are.
   */
  PING_TIMEOUT(0x0b, "ping timeout"),
  /** 0x10: some other reason specific to a subprotocol. */
  SUBPROTOCOL_ERROR(0x10, "subprotocol error"),
  /** A code the spec does not define, received from a peer; never sent. */
  UNKNOWN(-1, "unknown reason");

  private final int code;
  private final String description;

  DisconnectReason(int code, String description) {
    this.code = code;
    this.description = description;
  }

  /** The wire code, or -1 for {@link #UNKNOWN}. */
  public int code() {
    return code;
  }

  /** The spec's meaning, in lower case, for logs. */
  public String description() {
    return description;
  }

  /** The reason with this wire code, or {@link #UNKNOWN}. */
  public static DisconnectReason fromCode(long code) {
    for (DisconnectReason r : values()) {
      if (r.code == code && r != UNKNOWN) {
        return r;
      }
    }
    return UNKNOWN;
  }

  /** {@code NAME (0xNN)}, for logs. */
  @Override
  public String toString() {
    return code < 0 ? name() : String.format("%s (0x%02x)", name(), code);
  }
}
