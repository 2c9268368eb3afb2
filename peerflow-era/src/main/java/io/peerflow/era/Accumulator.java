package io.peerflow.era;

import io.peerflow.chain.Hash;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The era1 accumulator: the SSZ {@code hash_tree_root} of a {@code List[HeaderRecord, 8192]}, where
 * a header record is a block hash and a total difficulty (uint256). Stateless; thread-safe.
 *
 * <p>Hand-written rather than taken from an SSZ library: this one list type is all era files need,
 * and the Java SSZ libraries (Teku's, Tuweni's) would bring a consensus client's dependency tree.
 */
public final class Accumulator {

  /** The list limit, and so the most blocks one era file holds. */
  public static final int MAX_RECORDS = 8192;

  // log2(MAX_RECORDS): the depth of the padded Merkle tree of 32-byte leaves.
  private static final int DEPTH = 13;

  private Accumulator() {}

  /**
   * The root over {@code hashes[i]} with {@code totalDifficulties[i]}.
   *
   * @throws IllegalArgumentException if the lists differ in length, exceed 8192 or a difficulty
   *     does not fit 256 bits
   */
  public static Hash root(List<Hash> hashes, List<BigInteger> totalDifficulties) {
    int n = hashes.size();
    if (n != totalDifficulties.size() || n > MAX_RECORDS) {
      throw new IllegalArgumentException(
          "accumulator needs as many hashes as difficulties, at most 8192: "
              + n
              + " and "
              + totalDifficulties.size());
    }
    MessageDigest sha = sha256();
    byte[][] level = new byte[n][];
    for (int i = 0; i < n; i++) {
      sha.update(hashes.get(i).toArray());
      sha.update(uint256LittleEndian(totalDifficulties.get(i)));
      level[i] = sha.digest();
    }
    // Merkleize with the limit: pad every level with the root of an all-zero subtree of its height.
    byte[] zero = new byte[32];
    for (int d = 0; d < DEPTH; d++) {
      byte[][] up = new byte[(level.length + 1) / 2][];
      for (int i = 0; i < up.length; i++) {
        byte[] left = level[2 * i];
        byte[] right = 2 * i + 1 < level.length ? level[2 * i + 1] : zero;
        sha.update(left);
        sha.update(right);
        up[i] = sha.digest();
      }
      level = up;
      sha.update(zero);
      sha.update(zero);
      zero = sha.digest();
    }
    byte[] root = level.length == 0 ? zero : level[0];
    // mix_in_length: the list's length as a little-endian uint256.
    byte[] length = new byte[32];
    E2Store.putLong(length, 0, n);
    sha.update(root);
    sha.update(length);
    return Hash.of(sha.digest());
  }

  /** A value as 32 little-endian bytes, as era files store total difficulty. */
  static byte[] uint256LittleEndian(BigInteger v) {
    if (v.signum() < 0 || v.bitLength() > 256) {
      throw new IllegalArgumentException("not a uint256: " + v);
    }
    byte[] be = v.toByteArray();
    byte[] le = new byte[32];
    for (int i = 0; i < be.length && i < 32; i++) {
      le[i] = be[be.length - 1 - i];
    }
    return le;
  }

  /** Reads 32 little-endian bytes as a non-negative number. */
  static BigInteger fromLittleEndian(byte[] le) {
    byte[] be = new byte[le.length];
    for (int i = 0; i < le.length; i++) {
      be[i] = le[le.length - 1 - i];
    }
    return new BigInteger(1, be);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
