package io.peerflow.rlpx.crypto;

import org.bouncycastle.crypto.digests.KeccakDigest;

/**
 * Ethereum's Keccak-256 (the original Keccak padding, not NIST SHA3-256); stateless and
 * thread-safe, every call uses its own digest.
 */
public final class Keccak256 {

  /** Output length in bytes. */
  public static final int LENGTH = 32;

  private Keccak256() {}

  /** The Keccak-256 hash of the concatenation of {@code parts}. */
  public static byte[] hash(byte[]... parts) {
    KeccakDigest d = new KeccakDigest(256);
    for (byte[] p : parts) {
      d.update(p, 0, p.length);
    }
    byte[] out = new byte[LENGTH];
    d.doFinal(out, 0);
    return out;
  }
}
