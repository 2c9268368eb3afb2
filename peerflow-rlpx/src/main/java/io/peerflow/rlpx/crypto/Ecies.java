package io.peerflow.rlpx.crypto;

import io.peerflow.crypto.Secp256k1;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.CTRModeCipher;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * ECIES as RLPx uses it for the handshake; stateless and thread-safe.
 *
 * <p>secp256k1 ECDH, the concatenation KDF over SHA-256, AES-128-CTR and HMAC-SHA256 over {@code iv
 * || ciphertext || sharedMacData}. The wire form is {@code R || iv || c || d}: the sender's
 * ephemeral public key with its {@code 0x04} prefix (65 bytes), a 16-byte IV, the ciphertext, and
 * the 32-byte tag.
 *
 * <p>{@code sharedMacData} is authenticated but not sent: EIP-8 handshake packets pass their
 * two-byte size prefix there, legacy packets pass nothing.
 */
public final class Ecies {

  /** Bytes ECIES adds to a plaintext: 65 (R) + 16 (IV) + 32 (HMAC-SHA256 tag). */
  public static final int OVERHEAD = 65 + 16 + 32;

  /** rlpx.md: "AES(k, iv, m): the AES-128 encryption function in CTR mode". */
  private static final int AES_KEY_LENGTH = 16;

  /** One AES block: the CTR mode's initial counter. */
  private static final int IV_LENGTH = 16;

  /** The full HMAC-SHA256 output; nothing is truncated. */
  private static final int TAG_LENGTH = 32;

  private Ecies() {}

  /** Encrypts {@code plaintext} to the holder of {@code recipientPublicKey} (64 bytes). */
  public static byte[] encrypt(
      byte[] recipientPublicKey, byte[] plaintext, byte[] sharedMacData, SecureRandom random) {
    byte[] ephemeral = Secp256k1.generatePrivateKey(random);
    byte[] iv = new byte[IV_LENGTH];
    random.nextBytes(iv);
    return encrypt(recipientPublicKey, plaintext, sharedMacData, ephemeral, iv);
  }

  /** Deterministic form for tests: the caller chooses the ephemeral key and the IV. */
  static byte[] encrypt(
      byte[] recipientPublicKey,
      byte[] plaintext,
      byte[] sharedMacData,
      byte[] ephemeral,
      byte[] iv) {
    byte[] z = Secp256k1.agree(ephemeral, recipientPublicKey);
    byte[] k = ConcatKdf.sha256(z, new byte[0], 2 * AES_KEY_LENGTH);
    byte[] kE = Arrays.copyOfRange(k, 0, AES_KEY_LENGTH);
    byte[] kM = sha256(Arrays.copyOfRange(k, AES_KEY_LENGTH, 2 * AES_KEY_LENGTH));
    byte[] out = new byte[OVERHEAD + plaintext.length];
    out[0] = 0x04;
    System.arraycopy(Secp256k1.publicKey(ephemeral), 0, out, 1, 64);
    System.arraycopy(iv, 0, out, 65, IV_LENGTH);
    aesCtr(kE, iv, plaintext, 0, plaintext.length, out, 65 + IV_LENGTH);
    byte[] tag = hmac(kM, out, 65, IV_LENGTH + plaintext.length, sharedMacData);
    System.arraycopy(tag, 0, out, out.length - TAG_LENGTH, TAG_LENGTH);
    return out;
  }

  /**
   * Decrypts a message sent to the holder of {@code privateKey}.
   *
   * @throws GeneralSecurityException if the message is too short, its ephemeral key is not a curve
   *     point, or the tag does not match (wrong key, tampering, or wrong sharedMacData)
   */
  public static byte[] decrypt(byte[] privateKey, byte[] message, byte[] sharedMacData)
      throws GeneralSecurityException {
    if (message.length < OVERHEAD) {
      throw new GeneralSecurityException(
          "ECIES message of "
              + message.length
              + " bytes is shorter than its "
              + OVERHEAD
              + "-byte overhead");
    }
    if (message[0] != 0x04) {
      throw new GeneralSecurityException("ECIES ephemeral key is not an uncompressed point");
    }
    byte[] ephemeralPublic = Arrays.copyOfRange(message, 1, 65);
    byte[] z;
    try {
      z = Secp256k1.agree(privateKey, ephemeralPublic);
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException("ECIES ephemeral key: " + e.getMessage(), e);
    }
    byte[] k = ConcatKdf.sha256(z, new byte[0], 2 * AES_KEY_LENGTH);
    byte[] kE = Arrays.copyOfRange(k, 0, AES_KEY_LENGTH);
    byte[] kM = sha256(Arrays.copyOfRange(k, AES_KEY_LENGTH, 2 * AES_KEY_LENGTH));
    int cLen = message.length - OVERHEAD;
    byte[] expected = hmac(kM, message, 65, IV_LENGTH + cLen, sharedMacData);
    byte[] tag = Arrays.copyOfRange(message, message.length - TAG_LENGTH, message.length);
    if (!MessageDigest.isEqual(expected, tag)) {
      throw new GeneralSecurityException("ECIES tag mismatch");
    }
    byte[] iv = Arrays.copyOfRange(message, 65, 65 + IV_LENGTH);
    byte[] plain = new byte[cLen];
    aesCtr(kE, iv, message, 65 + IV_LENGTH, cLen, plain, 0);
    return plain;
  }

  private static void aesCtr(
      byte[] key, byte[] iv, byte[] in, int inOff, int len, byte[] out, int outOff) {
    CTRModeCipher ctr = SICBlockCipher.newInstance(AESEngine.newInstance());
    ctr.init(true, new ParametersWithIV(new KeyParameter(key), iv));
    ctr.processBytes(in, inOff, len, out, outOff);
  }

  private static byte[] hmac(byte[] key, byte[] data, int off, int len, byte[] sharedMacData) {
    HMac mac = new HMac(new SHA256Digest());
    mac.init(new KeyParameter(key));
    mac.update(data, off, len);
    mac.update(sharedMacData, 0, sharedMacData.length);
    byte[] out = new byte[TAG_LENGTH];
    mac.doFinal(out, 0);
    return out;
  }

  private static byte[] sha256(byte[] data) {
    SHA256Digest d = new SHA256Digest();
    d.update(data, 0, data.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }
}
