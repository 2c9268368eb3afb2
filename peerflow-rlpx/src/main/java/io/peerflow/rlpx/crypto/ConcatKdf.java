package io.peerflow.rlpx.crypto;

import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * The NIST SP 800-56A (section 5.8.1) concatenation key derivation function over SHA-256, with
 * which RLPx's ECIES turns an ECDH shared secret into keys; stateless and thread-safe.
 *
 * <p>Written here rather than taken from Bouncy Castle because BC's {@code
 * ConcatenationKDFGenerator} wants the "other info" split into fields RLPx does not have; the
 * function is a few lines: {@code K = H(1 || Z || info) || H(2 || Z || info) || ...}, counter as a
 * 32-bit big-endian integer starting at 1, truncated to the requested length.
 */
public final class ConcatKdf {

  private ConcatKdf() {}

  /** Derives {@code length} bytes from the shared secret {@code z} and {@code otherInfo}. */
  public static byte[] sha256(byte[] z, byte[] otherInfo, int length) {
    if (length < 0) {
      throw new IllegalArgumentException("negative key length " + length);
    }
    Digest d = new SHA256Digest();
    int hashLen = d.getDigestSize();
    byte[] out = new byte[length];
    byte[] block = new byte[hashLen];
    int counter = 1;
    for (int off = 0; off < length; off += hashLen, counter++) {
      byte[] c = {
        (byte) (counter >>> 24), (byte) (counter >>> 16), (byte) (counter >>> 8), (byte) counter
      };
      d.update(c, 0, 4);
      d.update(z, 0, z.length);
      d.update(otherInfo, 0, otherInfo.length);
      d.doFinal(block, 0);
      System.arraycopy(block, 0, out, off, Math.min(hashLen, length - off));
    }
    return out;
  }
}
