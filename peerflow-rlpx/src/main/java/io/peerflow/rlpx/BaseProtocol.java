package io.peerflow.rlpx;

import io.peerflow.rlp.RlpException;
import io.peerflow.rlp.RlpReader;
import io.peerflow.rlp.RlpWriter;

/**
 * Constants and small codecs of the "p2p" base protocol (rlpx.md, '"p2p" Capability').
 *
 * <p>Stateless.
 */
final class BaseProtocol {

  /** The p2p version we speak and advertise: 5, which adds Snappy compression (EIP-706). */
  static final int VERSION = 5;

  /** Peers advertising at least this version compress every message after Hello. */
  static final int SNAPPY_VERSION = 5;

  // Message ids of the base protocol, as rlpx.md numbers them.
  static final int HELLO = 0x00;
  static final int DISCONNECT = 0x01;
  static final int PING = 0x02;
  static final int PONG = 0x03;

  /** Ids 0x00..0x0f are reserved for p2p; capabilities start at 0x10. */
  static final int LENGTH = 0x10;

  /** Ping and Pong carry an empty list. */
  static final byte[] EMPTY_LIST = {(byte) 0xc0};

  private BaseProtocol() {}

  /** {@code [reason]}. */
  static byte[] encodeDisconnect(DisconnectReason reason) {
    return new RlpWriter(4).startList().writeLong(reason.code()).endList().toByteArray();
  }

  /**
   * Decodes a Disconnect payload leniently: {@code [reason]} per the spec, a bare integer as some
   * clients send, or an empty list / empty payload (no reason given: "requested"). Returns the raw
   * code, or -1 if the payload is none of those.
   */
  static long decodeDisconnect(byte[] payload) {
    try {
      if (payload.length == 0) {
        return DisconnectReason.REQUESTED.code();
      }
      RlpReader r = new RlpReader(payload);
      if (r.nextIsList()) {
        RlpReader list = r.readList();
        return list.hasNext() ? list.readLong() : DisconnectReason.REQUESTED.code();
      }
      return r.readLong();
    } catch (RlpException e) {
      return -1;
    }
  }
}
