package io.peerflow.discovery.enr;

import io.peerflow.crypto.Keccak256;
import io.peerflow.crypto.Secp256k1;
import io.peerflow.rlpx.NodeId;
import io.peerflow.rlpx.NodeKey;
import java.security.SignatureException;
import java.util.Arrays;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The "v4" identity scheme and the few secp256k1 and Keccak operations discovery needs, in one
 * place; stateless and thread-safe.
 *
 * <p>Node records, discv4 packets and DNS trees all sign the Keccak-256 hash of some bytes with a
 * node key and check it against a public key that travels compressed (33 bytes) or as a node id (64
 * bytes). Every such call goes through here, so moving the curve and hash to another module touches
 * this class only.
 */
public final class IdentityV4 {

  /** A compressed public key: parity byte and X. */
  public static final int COMPRESSED_KEY_LENGTH = 33;

  /** A v4 record signature is {@code r || s}, without the recovery id. */
  public static final int RECORD_SIGNATURE_LENGTH = 64;

  private static final ECCurve CURVE = SECNamedCurves.getByName("secp256k1").getCurve();

  private IdentityV4() {}

  /** Keccak-256 of the concatenated parts. */
  public static byte[] keccak(byte[]... parts) {
    return Keccak256.hash(parts);
  }

  /** Signs Keccak-256 of {@code content}: {@code r || s || v}, 65 bytes. */
  public static byte[] signRecoverable(NodeKey key, byte[] content) {
    return key.sign(keccak(content));
  }

  /** Signs Keccak-256 of {@code content} as the v4 scheme does: {@code r || s}, 64 bytes. */
  public static byte[] signRecord(NodeKey key, byte[] content) {
    return Arrays.copyOf(signRecoverable(key, content), RECORD_SIGNATURE_LENGTH);
  }

  /**
   * The 64-byte public key that made {@code signature} ({@code r || s || v}) over a 32-byte hash.
   *
   * @throws SignatureException if none can be recovered
   */
  public static byte[] recover(byte[] signature, byte[] hash) throws SignatureException {
    return Secp256k1.recover(signature, hash);
  }

  /**
   * Whether the 64-byte {@code signature} ({@code r || s}) over Keccak-256 of {@code content} was
   * made by {@code publicKey} (64 bytes). The recovery id is not sent, so both candidates are
   * tried.
   */
  public static boolean verifyRecord(byte[] publicKey, byte[] content, byte[] signature) {
    if (signature.length != RECORD_SIGNATURE_LENGTH) {
      return false;
    }
    byte[] hash = keccak(content);
    byte[] withId = Arrays.copyOf(signature, RECORD_SIGNATURE_LENGTH + 1);
    for (int v = 0; v < 2; v++) {
      withId[RECORD_SIGNATURE_LENGTH] = (byte) v;
      try {
        if (Arrays.equals(recover(withId, hash), publicKey)) {
          return true;
        }
      } catch (SignatureException | IllegalArgumentException wrong) {
        // try the other recovery id
      }
    }
    return false;
  }

  /** The 33-byte compressed form of a 64-byte public key ({@code X || Y}). */
  public static byte[] compress(byte[] publicKey) {
    if (publicKey.length != NodeId.LENGTH) {
      throw new IllegalArgumentException("public key must be 64 bytes, found " + publicKey.length);
    }
    byte[] out = new byte[COMPRESSED_KEY_LENGTH];
    out[0] = (byte) ((publicKey[NodeId.LENGTH - 1] & 1) == 0 ? 0x02 : 0x03);
    System.arraycopy(publicKey, 0, out, 1, 32);
    return out;
  }

  /**
   * The 64-byte public key ({@code X || Y}) of a 33-byte compressed key.
   *
   * @throws IllegalArgumentException if it is not a compressed point on secp256k1
   */
  public static byte[] decompress(byte[] compressed) {
    if (compressed.length != COMPRESSED_KEY_LENGTH
        || (compressed[0] != 0x02 && compressed[0] != 0x03)) {
      throw new IllegalArgumentException("not a 33-byte compressed secp256k1 public key");
    }
    ECPoint point;
    try {
      point = CURVE.decodePoint(compressed).normalize();
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new IllegalArgumentException("compressed public key is not a point on secp256k1", e);
    }
    if (point.isInfinity() || !point.isValid()) {
      throw new IllegalArgumentException("compressed public key is not a point on secp256k1");
    }
    byte[] encoded = point.getEncoded(false);
    return Arrays.copyOfRange(encoded, 1, encoded.length);
  }
}
