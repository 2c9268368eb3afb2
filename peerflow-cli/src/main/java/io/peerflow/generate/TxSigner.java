package io.peerflow.generate;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * secp256k1 ECDSA signatures for transactions: deterministic k (RFC 6979), low s, and the recovery
 * id (y parity) Ethereum puts in {@code v}. Stateless and thread-safe.
 *
 * <p>Written on Bouncy Castle's curve arithmetic rather than with its {@code ECDSASigner} because
 * the signer hides the point R, so finding the recovery id would take up to four public key
 * recoveries per signature; generating a long chain signs millions of transactions, and reading the
 * parity of R makes each signature several times cheaper.
 */
final class TxSigner {

  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  private static final BigInteger N = CURVE.getN();
  private static final BigInteger HALF_N = N.shiftRight(1);
  private static final ECPoint G = CURVE.getG();

  /** A signature: r, s and the recovery id (0 or 1). */
  record Signature(BigInteger r, BigInteger s, int recoveryId) {}

  private TxSigner() {}

  /** The public key (64 bytes, X || Y) of a private key. */
  static byte[] publicKey(BigInteger privateKey) {
    byte[] enc =
        new FixedPointCombMultiplier().multiply(G, privateKey).normalize().getEncoded(false);
    byte[] out = new byte[64];
    System.arraycopy(enc, 1, out, 0, 64);
    return out;
  }

  /** Signs a 32-byte hash. */
  static Signature sign(BigInteger privateKey, byte[] hash) {
    HMacDSAKCalculator k = new HMacDSAKCalculator(new SHA256Digest());
    k.init(N, privateKey, hash);
    BigInteger e = new BigInteger(1, hash);
    FixedPointCombMultiplier mul = new FixedPointCombMultiplier();
    while (true) {
      BigInteger kv = k.nextK();
      ECPoint r = mul.multiply(G, kv).normalize();
      BigInteger rx = r.getAffineXCoord().toBigInteger();
      BigInteger rv = rx.mod(N);
      if (rv.signum() == 0) {
        continue;
      }
      BigInteger s = kv.modInverse(N).multiply(e.add(privateKey.multiply(rv))).mod(N);
      if (s.signum() == 0) {
        continue;
      }
      int recId =
          (r.getAffineYCoord().toBigInteger().testBit(0) ? 1 : 0) | (rx.compareTo(N) >= 0 ? 2 : 0);
      if (s.compareTo(HALF_N) > 0) {
        // Low s (EIP-2): negating s mirrors R, which flips its parity.
        s = N.subtract(s);
        recId ^= 1;
      }
      return new Signature(rv, s, recId);
    }
  }
}
