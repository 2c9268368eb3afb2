package io.peerflow.chain;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A 32-byte hash (block, transaction, trie node): an immutable value, safe to share between
 * threads and to use as a map key.
 */
public final class Hash implements Comparable<Hash> {

  /** Length of every hash, in bytes. */
  public static final int LENGTH = 32;

  /** The all-zero hash (the parent of genesis). */
  public static final Hash ZERO = new Hash(new byte[LENGTH]);

  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;
  private final int hashCode;

  private Hash(byte[] bytes) {
    this.bytes = bytes;
    this.hashCode = Arrays.hashCode(bytes);
  }

  /** A hash holding a copy of {@code bytes}, which must be exactly 32 bytes long. */
  public static Hash of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a hash has 32 bytes, not " + bytes.length);
    }
    return new Hash(bytes.clone());
  }

  /** Parses 64 hex digits, with or without a {@code 0x} prefix. */
  public static Hash fromHex(String hex) {
    String h = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
    if (h.length() != 2 * LENGTH) {
      throw new IllegalArgumentException("a hash has 64 hex digits: " + hex);
    }
    try {
      return new Hash(HEX.parseHex(h));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a hex hash: " + hex, e);
    }
  }

  /** A copy of the 32 bytes. */
  public byte[] toArray() {
    return bytes.clone();
  }

  /** Byte {@code i} (0..31), without copying. */
  public byte get(int i) {
    return bytes[i];
  }

  /** {@code 0x} followed by 64 lower-case hex digits. */
  public String toHex() {
    return "0x" + HEX.formatHex(bytes);
  }

  /** A short form for logs: {@code 0x} and the first 8 hex digits. */
  public String toShortString() {
    return "0x" + HEX.formatHex(bytes, 0, 4) + "…";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hash && Arrays.equals(bytes, ((Hash) o).bytes);
  }

  @Override
  public int hashCode() {
    return hashCode;
  }

  @Override
  public int compareTo(Hash o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
