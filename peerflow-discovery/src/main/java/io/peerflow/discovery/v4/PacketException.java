package io.peerflow.discovery.v4;

/**
 * A discv4 packet that cannot be read: too short or long, hash or signature wrong, unknown type,
 * malformed data. The one exception {@link Packet#decode} throws.
 */
public final class PacketException extends Exception {

  PacketException(String reason) {
    super(reason);
  }

  PacketException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
