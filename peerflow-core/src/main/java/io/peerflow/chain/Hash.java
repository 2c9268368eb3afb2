package io.peerflow.chain;

/**
 * A 32-byte hash (block, transaction, trie node): an immutable value with value equality.
 *
 * <p>Immutable and therefore safe to share between threads. The bytes are held as four longs so
 * that {@link #equals} and {@link #hashCode} cost a handful of instructions; hashes are used as set
 * and map keys on hot paths (the peers' "lacking" sets, request bookkeeping).
 */
public final class Hash implements Comparable<Hash> {

  /** Number of bytes in a hash. */
  public static final int SIZE = 32;

  /** The all-zero hash. */
  public static final Hash ZERO = new Hash(0, 0, 0, 0);

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  // Big-endian words: w0 holds bytes 0..7, w3 bytes 24..31.
  private final long w0;
  private final long w1;
  private final long w2;
  private final long w3;

  private Hash(long w0, long w1, long w2, long w3) {
    this.w0 = w0;
    this.w1 = w1;
    this.w2 = w2;
    this.w3 = w3;
  }

  /** The hash holding a copy of {@code bytes}, which must be exactly 32 bytes long. */
  public static Hash of(byte[] bytes) {
    if (bytes.length != SIZE) {
      throw new IllegalArgumentException("a hash is 32 bytes, got " + bytes.length);
    }
    return new Hash(word(bytes, 0), word(bytes, 8), word(bytes, 16), word(bytes, 24));
  }

  /**
   * Parses 64 hex digits, with or without a {@code 0x} prefix, in either case. Anything else (wrong
   * length, non-hex characters) is an {@link IllegalArgumentException}.
   */
  public static Hash fromHex(String hex) {
    int start = hex.startsWith("0x") || hex.startsWith("0X") ? 2 : 0;
    if (hex.length() - start != 2 * SIZE) {
      throw new IllegalArgumentException("a hash is 64 hex digits, got: " + hex);
    }
    long[] words = new long[4];
    for (int i = 0; i < 2 * SIZE; i++) {
      int digit = Character.digit(hex.charAt(start + i), 16);
      if (digit < 0) {
        throw new IllegalArgumentException("not a hex digit at " + (start + i) + ": " + hex);
      }
      words[i / 16] = (words[i / 16] << 4) | digit;
    }
    return new Hash(words[0], words[1], words[2], words[3]);
  }

  /** A fresh copy of the 32 bytes. */
  public byte[] toArray() {
    byte[] out = new byte[SIZE];
    long[] words = {w0, w1, w2, w3};
    for (int i = 0; i < SIZE; i++) {
      out[i] = (byte) (words[i / 8] >>> (56 - 8 * (i % 8)));
    }
    return out;
  }

  /** Lower-case hex with a {@code 0x} prefix, as Ethereum tools print hashes. */
  public String toHex() {
    char[] out = new char[2 + 2 * SIZE];
    out[0] = '0';
    out[1] = 'x';
    long[] words = {w0, w1, w2, w3};
    for (int i = 0; i < 2 * SIZE; i++) {
      out[2 + i] = HEX[(int) (words[i / 16] >>> (60 - 4 * (i % 16))) & 0xf];
    }
    return new String(out);
  }

  /** Orders hashes as unsigned big-endian numbers (the order of their hex strings). */
  @Override
  public int compareTo(Hash o) {
    int c = Long.compareUnsigned(w0, o.w0);
    if (c == 0) {
      c = Long.compareUnsigned(w1, o.w1);
    }
    if (c == 0) {
      c = Long.compareUnsigned(w2, o.w2);
    }
    if (c == 0) {
      c = Long.compareUnsigned(w3, o.w3);
    }
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hash
        && ((Hash) o).w0 == w0
        && ((Hash) o).w1 == w1
        && ((Hash) o).w2 == w2
        && ((Hash) o).w3 == w3;
  }

  @Override
  public int hashCode() {
    // Real hashes are uniformly distributed, but test hashes such as 0x00..01 are not: mix all
    // four words so that those still spread over a hash table's buckets.
    long h = ((w0 * 31 + w1) * 31 + w2) * 31 + w3;
    return (int) (h ^ (h >>> 32));
  }

  @Override
  public String toString() {
    return toHex();
  }

  private static long word(byte[] b, int off) {
    long w = 0;
    for (int i = 0; i < 8; i++) {
      w = (w << 8) | (b[off + i] & 0xffL);
    }
    return w;
  }
}
