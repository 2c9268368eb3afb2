package io.peerflow.rlpx;

import io.peerflow.crypto.Secp256k1;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A devp2p node identity, the node's 64-byte uncompressed secp256k1 public key ({@code X || Y}); an
 * immutable, thread-safe value.
 *
 * <p>Every instance is a point on the curve: the factories check it, so code holding a {@code
 * NodeId} never needs to.
 */
public final class NodeId {

  /** Length of the id in bytes. */
  public static final int LENGTH = Secp256k1.PUBLIC_KEY_LENGTH;

  /** Lower case, as in go-ethereum's enode URLs. */
  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;

  private NodeId(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * The id with these 64 bytes.
   *
   * @throws IllegalArgumentException if they are not 64 bytes or not a point on secp256k1
   */
  public static NodeId of(byte[] bytes) {
    Secp256k1.checkPublicKey(bytes);
    return new NodeId(bytes.clone());
  }

  /**
   * The id written as 128 hex digits (either case).
   *
   * @throws IllegalArgumentException if the text is not 128 hex digits or not a curve point
   */
  public static NodeId fromHex(String hex) {
    if (hex.length() != 2 * LENGTH) {
      throw new IllegalArgumentException(
          "node id must be " + 2 * LENGTH + " hex characters, found " + hex.length());
    }
    byte[] b;
    try {
      b = HEX.parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("node id is not hexadecimal", e);
    }
    try {
      return of(b);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("node id is not a valid secp256k1 public key", e);
    }
  }

  /** A copy of the 64 bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The 128-digit lower-case hex form, as in enode URLs. */
  public String toHex() {
    return HEX.formatHex(bytes);
  }

  /** The first 8 bytes in hex, enough to tell peers apart in logs. */
  public String shortHex() {
    return HEX.formatHex(bytes, 0, 8);
  }

  /** Package-private view without a copy, for the handshake and Hello encoders. */
  byte[] rawBytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeId && Arrays.equals(bytes, ((NodeId) o).bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The short form; see {@link #toHex()} for the full id. */
  @Override
  public String toString() {
    return shortHex();
  }
}
