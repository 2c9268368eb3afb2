package io.peerflow.discovery.v4;

import io.peerflow.discovery.enr.EnrException;
import io.peerflow.discovery.enr.IdentityV4;
import io.peerflow.rlp.RlpException;
import io.peerflow.rlpx.NodeId;
import io.peerflow.rlpx.NodeKey;
import java.security.SignatureException;
import java.util.Arrays;

/**
 * A discv4 datagram: {@code hash || signature || type || data}, where the signature (65 bytes, by
 * the sender's node key) covers Keccak-256 of {@code type || data} and the hash covers everything
 * after it; an immutable value.
 *
 * @param hash the packet's hash, which Pong and ENRResponse echo
 * @param sender the node id recovered from the signature
 * @param message the decoded data
 */
public record Packet(byte[] hash, NodeId sender, Message message) {

  /** discv4.md: no packet is larger. */
  public static final int MAX_SIZE = 1280;

  private static final int HASH_LENGTH = 32;
  private static final int SIGNATURE_LENGTH = 65;
  private static final int HEADER_LENGTH = HASH_LENGTH + SIGNATURE_LENGTH + 1;

  /** The bytes of an encoded packet and its hash. */
  public record Encoded(byte[] bytes, byte[] hash) {}

  /**
   * Signs and frames {@code message}.
   *
   * @throws IllegalArgumentException if the result exceeds {@link #MAX_SIZE}
   */
  public static Encoded encode(NodeKey key, Message message) {
    byte[] data = message.encode();
    byte[] signed = new byte[1 + data.length];
    signed[0] = (byte) message.type();
    System.arraycopy(data, 0, signed, 1, data.length);
    byte[] signature = IdentityV4.signRecoverable(key, signed);
    byte[] hash = IdentityV4.keccak(signature, signed);
    byte[] packet = new byte[HASH_LENGTH + SIGNATURE_LENGTH + signed.length];
    if (packet.length > MAX_SIZE) {
      throw new IllegalArgumentException(
          "discv4 packet of " + packet.length + " bytes exceeds " + MAX_SIZE);
    }
    System.arraycopy(hash, 0, packet, 0, HASH_LENGTH);
    System.arraycopy(signature, 0, packet, HASH_LENGTH, SIGNATURE_LENGTH);
    System.arraycopy(signed, 0, packet, HASH_LENGTH + SIGNATURE_LENGTH, signed.length);
    return new Encoded(packet, hash);
  }

  /**
   * Checks and decodes a datagram: size, hash, signature, type, data.
   *
   * @throws PacketException naming what is wrong; no other exception escapes
   */
  public static Packet decode(byte[] packet) throws PacketException {
    if (packet.length > MAX_SIZE) {
      throw new PacketException("packet of " + packet.length + " bytes exceeds " + MAX_SIZE);
    }
    if (packet.length <= HEADER_LENGTH) {
      throw new PacketException("packet of " + packet.length + " bytes is too short");
    }
    byte[] hash = Arrays.copyOf(packet, HASH_LENGTH);
    byte[] rest = Arrays.copyOfRange(packet, HASH_LENGTH, packet.length);
    if (!Arrays.equals(hash, IdentityV4.keccak(rest))) {
      throw new PacketException("hash does not match the packet");
    }
    int type = packet[HEADER_LENGTH - 1] & 0xff;
    if (type < 1 || type > 6) {
      throw new PacketException("unknown packet type " + type);
    }
    byte[] signature = Arrays.copyOfRange(packet, HASH_LENGTH, HASH_LENGTH + SIGNATURE_LENGTH);
    byte[] signed = Arrays.copyOfRange(packet, HEADER_LENGTH - 1, packet.length);
    NodeId sender;
    try {
      sender = NodeId.of(IdentityV4.recover(signature, IdentityV4.keccak(signed)));
    } catch (SignatureException | IllegalArgumentException e) {
      throw new PacketException("bad signature: " + e.getMessage(), e);
    }
    Message message;
    try {
      message = Message.decode(type, packet, HEADER_LENGTH);
    } catch (RlpException | EnrException e) {
      throw new PacketException("malformed " + typeName(type) + " packet: " + e.getMessage(), e);
    }
    return new Packet(hash, sender, message);
  }

  static String typeName(int type) {
    switch (type) {
      case 1:
        return "Ping";
      case 2:
        return "Pong";
      case 3:
        return "FindNode";
      case 4:
        return "Neighbors";
      case 5:
        return "ENRRequest";
      case 6:
        return "ENRResponse";
      default:
        return "type " + type;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Packet p
        && Arrays.equals(hash, p.hash)
        && sender.equals(p.sender)
        && message.equals(p.message);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hash);
  }

  @Override
  public String toString() {
    return typeName(message.type()) + " from " + sender.shortHex();
  }
}
