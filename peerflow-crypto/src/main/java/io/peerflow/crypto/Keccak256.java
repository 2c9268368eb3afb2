package io.peerflow.crypto;

import org.bouncycastle.crypto.digests.KeccakDigest;

/**
 * Ethereum's Keccak-256 (the original Keccak padding, not NIST SHA3-256): the hash of every header,
 * transaction and trie node, and of the transport's handshake secrets. Stateless and thread-safe:
 * every call uses its own digest.
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

  /** The Keccak-256 hash of {@code len} bytes of {@code data} from {@code off}. */
  public static byte[] digest(byte[] data, int off, int len) {
    KeccakDigest d = new KeccakDigest(256);
    d.update(data, off, len);
    byte[] out = new byte[LENGTH];
    d.doFinal(out, 0);
    return out;
  }
}
