package io.peerflow.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.SignatureException;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * The secp256k1 operations devp2p needs, on plain byte arrays; stateless and thread-safe.
 *
 * <p>Key generation, public keys in the 64-byte form Ethereum uses as node ids ({@code X || Y}, no
 * {@code 0x04} prefix), ECDH, and ECDSA signatures with public-key recovery ({@code r || s || v},
 * 65 bytes, {@code v} in 0..3).
 *
 * <p>Every public key that comes in from outside is checked to be a point on the curve before use,
 * because ECDH with an off-curve point leaks the private key (invalid-curve attack).
 */
public final class Secp256k1 {

  /** Private keys and coordinates are 256-bit numbers. */
  public static final int PRIVATE_KEY_LENGTH = 32;

  /** A public key without its SEC1 {@code 0x04} prefix: X and Y, 32 bytes each. */
  public static final int PUBLIC_KEY_LENGTH = 64;

  /** {@code r || s || v}. */
  public static final int SIGNATURE_LENGTH = 65;

  /** BC's specialised secp256k1 implementation: faster than the generic curve arithmetic. */
  private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");

  private static final ECCurve CURVE = PARAMS.getCurve();
  private static final ECPoint G = PARAMS.getG();
  private static final BigInteger N = PARAMS.getN();

  /** Signatures with s above n/2 are mirrored below it (low-s form, as Ethereum requires). */
  private static final BigInteger HALF_N = N.shiftRight(1);

  private static final ECDomainParameters DOMAIN =
      new ECDomainParameters(CURVE, G, N, PARAMS.getH());

  private Secp256k1() {}

  /** A fresh private key, uniformly in [1, n-1]. */
  public static byte[] generatePrivateKey(SecureRandom random) {
    while (true) {
      byte[] k = new byte[PRIVATE_KEY_LENGTH];
      random.nextBytes(k);
      if (isValidPrivateKey(k)) {
        return k;
      }
    }
  }

  /** Whether {@code key} is 32 bytes encoding a number in [1, n-1]. */
  public static boolean isValidPrivateKey(byte[] key) {
    if (key == null || key.length != PRIVATE_KEY_LENGTH) {
      return false;
    }
    BigInteger d = new BigInteger(1, key);
    return d.signum() > 0 && d.compareTo(N) < 0;
  }

  /** The 64-byte public key of {@code privateKey}. */
  public static byte[] publicKey(byte[] privateKey) {
    return encode(new FixedPointCombMultiplier().multiply(G, scalar(privateKey)));
  }

  /**
   * Checks that {@code publicKey} is 64 bytes naming a point on the curve.
   *
   * @throws IllegalArgumentException with the reason if it is not
   */
  public static void checkPublicKey(byte[] publicKey) {
    decode(publicKey);
  }

  /** The ECDH shared secret: the X coordinate of {@code privateKey * publicKey}, 32 bytes. */
  public static byte[] agree(byte[] privateKey, byte[] publicKey) {
    ECPoint p = decode(publicKey).multiply(scalar(privateKey)).normalize();
    if (p.isInfinity()) {
      throw new IllegalArgumentException("ECDH produced the point at infinity");
    }
    return p.getAffineXCoord().getEncoded();
  }

  /**
   * Signs a 32-byte message hash (used as is, not hashed again) deterministically (RFC 6979) and
   * returns {@code r || s || v} with low {@code s}, so the signature is also valid under the
   * stricter rules some verifiers apply.
   */
  public static byte[] sign(byte[] privateKey, byte[] hash) {
    requireHash(hash);
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(scalar(privateKey), DOMAIN));
    BigInteger[] rs = signer.generateSignature(hash);
    BigInteger r = rs[0];
    BigInteger s = rs[1].compareTo(HALF_N) > 0 ? N.subtract(rs[1]) : rs[1];
    ECPoint expected = new FixedPointCombMultiplier().multiply(G, scalar(privateKey)).normalize();
    for (int v = 0; v < 4; v++) {
      ECPoint q = recoverPoint(v, r, s, hash);
      if (q != null && q.equals(expected)) {
        byte[] sig = new byte[SIGNATURE_LENGTH];
        System.arraycopy(toBytes32(r), 0, sig, 0, 32);
        System.arraycopy(toBytes32(s), 0, sig, 32, 32);
        sig[64] = (byte) v;
        return sig;
      }
    }
    // Unreachable for a valid key: one of the four candidates is always the signer's key.
    throw new IllegalStateException("could not compute the recovery id");
  }

  /**
   * Recovers the 64-byte public key that produced {@code signature} over {@code hash}.
   *
   * @throws SignatureException if the signature is malformed or no key can be recovered
   */
  public static byte[] recover(byte[] signature, byte[] hash) throws SignatureException {
    requireHash(hash);
    if (signature == null || signature.length != SIGNATURE_LENGTH) {
      throw new SignatureException(
          "signature must be "
              + SIGNATURE_LENGTH
              + " bytes, found "
              + (signature == null ? "none" : signature.length));
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    int v = signature[64] & 0xff;
    if (v > 3) {
      throw new SignatureException("recovery id " + v + " is not in 0..3");
    }
    if (r.signum() == 0 || r.compareTo(N) >= 0 || s.signum() == 0 || s.compareTo(N) >= 0) {
      throw new SignatureException("signature r or s out of range");
    }
    ECPoint q = recoverPoint(v, r, s, hash);
    if (q == null) {
      throw new SignatureException("no public key recoverable from signature");
    }
    return encode(q);
  }

  /**
   * SEC 1 v2 section 4.1.6: candidate {@code R} from {@code r} and the recovery id, then {@code Q =
   * r^-1 (sR - eG)}. Returns null when the id names no valid point. The check that {@code nR} is
   * infinity is skipped because secp256k1 has cofactor 1: every curve point has order n.
   */
  private static ECPoint recoverPoint(int recId, BigInteger r, BigInteger s, byte[] hash) {
    BigInteger x = r.add(BigInteger.valueOf(recId / 2).multiply(N));
    if (x.compareTo(CURVE.getField().getCharacteristic()) >= 0) {
      return null;
    }
    byte[] compressed = new byte[33];
    compressed[0] = (byte) ((recId & 1) == 1 ? 0x03 : 0x02);
    System.arraycopy(toBytes32(x), 0, compressed, 1, 32);
    ECPoint rPoint;
    try {
      rPoint = CURVE.decodePoint(compressed);
    } catch (IllegalArgumentException notOnCurve) {
      return null;
    }
    BigInteger e = new BigInteger(1, hash);
    BigInteger rInv = r.modInverse(N);
    BigInteger u1 = e.negate().mod(N).multiply(rInv).mod(N);
    BigInteger u2 = s.multiply(rInv).mod(N);
    ECPoint q = ECAlgorithms.sumOfTwoMultiplies(G, u1, rPoint, u2).normalize();
    return q.isInfinity() ? null : q;
  }

  private static ECPoint decode(byte[] publicKey) {
    if (publicKey == null || publicKey.length != PUBLIC_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "public key must be "
              + PUBLIC_KEY_LENGTH
              + " bytes, found "
              + (publicKey == null ? "none" : publicKey.length));
    }
    byte[] enc = new byte[PUBLIC_KEY_LENGTH + 1];
    enc[0] = 0x04;
    System.arraycopy(publicKey, 0, enc, 1, PUBLIC_KEY_LENGTH);
    ECPoint p;
    try {
      p = CURVE.decodePoint(enc);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new IllegalArgumentException("public key is not a point on secp256k1", e);
    }
    if (p.isInfinity() || !p.isValid()) {
      throw new IllegalArgumentException("public key is not a point on secp256k1");
    }
    return p;
  }

  private static byte[] encode(ECPoint p) {
    byte[] enc = p.normalize().getEncoded(false);
    return Arrays.copyOfRange(enc, 1, enc.length);
  }

  private static BigInteger scalar(byte[] privateKey) {
    if (!isValidPrivateKey(privateKey)) {
      throw new IllegalArgumentException("not a valid secp256k1 private key");
    }
    return new BigInteger(1, privateKey);
  }

  private static void requireHash(byte[] hash) {
    if (hash == null || hash.length != 32) {
      throw new IllegalArgumentException("message hash must be 32 bytes");
    }
  }

  private static byte[] toBytes32(BigInteger v) {
    byte[] b = v.toByteArray();
    if (b.length == 32) {
      return b;
    }
    byte[] out = new byte[32];
    if (b.length > 32) {
      System.arraycopy(b, b.length - 32, out, 0, 32);
    } else {
      System.arraycopy(b, 0, out, 32 - b.length, b.length);
    }
    return out;
  }
}
