package io.peerflow.bench.baseline;

import org.bouncycastle.crypto.digests.KeccakDigest;

/**
 * Keccak-256 through Bouncy Castle's {@code KeccakDigest}, as the project hashed before its own
 * Keccak-f[1600]; kept only to be measured beside it. Stateless and thread-safe.
 */
public final class BouncyCastleKeccak {

  private BouncyCastleKeccak() {}

  /** The Keccak-256 hash of {@code data}. */
  public static byte[] hash(byte[] data) {
    KeccakDigest d = new KeccakDigest(256);
    d.update(data, 0, data.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }
}
