package io.peerflow.rlpx;

import io.peerflow.crypto.Keccak256;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * RLPx frame encryption and authentication (rlpx.md, "Framing" and "MAC"): AES-256-CTR with the
 * aes-secret and a zero IV, one key stream per direction, and the Keccak-based egress and ingress
 * MACs that are seeded through AES-256-ECB with the mac-secret.
 *
 * <p>AES runs through the JDK's {@code Cipher}, which HotSpot compiles to the processor's AES
 * instructions (AES-NI): Bouncy Castle's pure-Java {@code AESEngine} took a fifth of a sync's
 * samples ({@code FrameCipherBenchmark} in peerflow-bench measures both). The JDK cipher copies its
 * input when it overlaps its output, so nothing here decrypts or encrypts in place.
 *
 * <p>Not thread-safe: both the cipher streams and the MAC states advance with every frame, so
 * frames must be sealed and opened in wire order by one thread (the connection's event loop). After
 * a failed {@link #openHeader}/{@link #openBody} the ingress state is unusable and the connection
 * must end.
 */
final class FrameCipher {

  /** Header ciphertext: frame-size (3) || header-data || zero padding, one AES block. */
  static final int HEADER_LENGTH = 16;

  /** Header and frame MACs are the first 16 bytes of a Keccak-256 digest. */
  static final int MAC_LENGTH = 16;

  /** frame-size is a 24-bit big-endian integer. */
  static final int MAX_FRAME_SIZE = 0xFFFFFF;

  /**
   * header-data = [capability-id, context-id] = RLP [0, 0]: both fields are unused by the current
   * protocol and always zero.
   */
  private static final byte[] HEADER_DATA = {(byte) 0xc2, (byte) 0x80, (byte) 0x80};

  /** Frame padding is zeros, at most one block short of a whole one. */
  private static final byte[] ZEROS = new byte[16];

  private final Cipher encryptor;
  private final Cipher decryptor;
  private final Mac egress;
  private final Mac ingress;

  /** Where the keystream over a frame's padding goes: the padding is not frame data. */
  private final byte[] padding = new byte[16];

  FrameCipher(Secrets secrets) {
    this.encryptor = ctr(secrets.aesSecret);
    this.decryptor = ctr(secrets.aesSecret);
    this.egress = new Mac(secrets.egressMac, secrets.macSecret);
    this.ingress = new Mac(secrets.ingressMac, secrets.macSecret);
  }

  private static Cipher ctr(byte[] key) {
    try {
      Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
      return c;
    } catch (GeneralSecurityException e) {
      // Every Java SE runtime must provide AES/CTR/NoPadding with 256-bit keys.
      throw new IllegalStateException("this JVM lacks AES-256-CTR", e);
    }
  }

  /**
   * Looks up the JDK's AES ciphers once, so the first connection does not pay for it: the first
   * lookup loads the provider's classes (66 to 100 ms measured on a busy 2-core machine), time a
   * peer's handshake and Hello must otherwise fit in beside it.
   */
  static void loadCiphers() {
    new Mac(new Keccak256(), new byte[32]);
    ctr(new byte[32]);
  }

  /** Runs {@code len} bytes through a stream cipher; the output must not overlap the input. */
  private static void crypt(Cipher c, byte[] in, int off, int len, byte[] out, int outOff) {
    try {
      c.update(in, off, len, out, outOff);
    } catch (ShortBufferException e) {
      throw new IllegalArgumentException("output buffer too short", e);
    }
  }

  /** Frame data padded to a whole number of AES blocks. */
  static int paddedLength(int frameSize) {
    return (frameSize + 15) & ~15;
  }

  /** Header ciphertext and header MAC (32 bytes) announcing a frame of {@code frameSize}. */
  byte[] sealHeader(int frameSize) {
    if (frameSize < 0 || frameSize > MAX_FRAME_SIZE) {
      throw new IllegalArgumentException(
          "frame of " + frameSize + " bytes does not fit the 24-bit frame-size field");
    }
    byte[] plain = new byte[HEADER_LENGTH];
    plain[0] = (byte) (frameSize >>> 16);
    plain[1] = (byte) (frameSize >>> 8);
    plain[2] = (byte) frameSize;
    System.arraycopy(HEADER_DATA, 0, plain, 3, HEADER_DATA.length);
    byte[] out = new byte[HEADER_LENGTH + MAC_LENGTH];
    crypt(encryptor, plain, 0, HEADER_LENGTH, out, 0);
    egress.header(out, out, HEADER_LENGTH);
    return out;
  }

  /** Frame ciphertext (zero-padded to 16 bytes) and frame MAC for {@code len} bytes of data. */
  byte[] sealBody(byte[] data, int off, int len) {
    int padded = paddedLength(len);
    byte[] out = new byte[padded + MAC_LENGTH];
    crypt(encryptor, data, off, len, out, 0);
    crypt(encryptor, ZEROS, 0, padded - len, out, len);
    egress.frame(out, 0, padded, out, padded);
    return out;
  }

  /**
   * Checks the header MAC, then decrypts the header (in that order, as the spec asks) and returns
   * the frame size it announces.
   *
   * @param header {@code HEADER_LENGTH + MAC_LENGTH} bytes
   * @throws RlpxProtocolException on a MAC mismatch
   */
  int openHeader(byte[] header) {
    byte[] expected = new byte[MAC_LENGTH];
    ingress.header(header, expected, 0);
    if (!equal(expected, header, HEADER_LENGTH)) {
      throw RlpxProtocolException.protocol("frame header MAC mismatch");
    }
    byte[] plain = new byte[HEADER_LENGTH];
    crypt(decryptor, header, 0, HEADER_LENGTH, plain, 0);
    return ((plain[0] & 0xff) << 16) | ((plain[1] & 0xff) << 8) | (plain[2] & 0xff);
  }

  /**
   * Checks the frame MAC, then decrypts: returns the {@code frameSize} bytes of frame data.
   *
   * @param body {@code paddedLength(frameSize) + MAC_LENGTH} bytes of ciphertext and MAC from
   *     {@code off}; left as it was
   * @throws RlpxProtocolException on a MAC mismatch
   */
  byte[] openBody(byte[] body, int off, int frameSize) {
    int padded = paddedLength(frameSize);
    if (body.length - off < padded + MAC_LENGTH) {
      throw new IllegalArgumentException(
          "frame body of " + (body.length - off) + " bytes, expected " + (padded + MAC_LENGTH));
    }
    byte[] expected = new byte[MAC_LENGTH];
    ingress.frame(body, off, padded, expected, 0);
    if (!equal(expected, body, off + padded)) {
      throw RlpxProtocolException.protocol("frame MAC mismatch");
    }
    byte[] data = new byte[frameSize];
    crypt(decryptor, body, off, frameSize, data, 0);
    crypt(decryptor, body, off + frameSize, padded - frameSize, padding, 0);
    return data;
  }

  private static boolean equal(byte[] mac, byte[] buf, int off) {
    // Constant time, as MessageDigest.isEqual, without copying the received MAC out first.
    int diff = 0;
    for (int i = 0; i < MAC_LENGTH; i++) {
      diff |= mac[i] ^ buf[off + i];
    }
    return diff == 0;
  }

  /**
   * One direction's MAC: a running Keccak-256 over everything sent in that direction, mixed through
   * AES so header and frame MACs depend on the secret, not only on the ciphertext.
   */
  static final class Mac {
    private final Keccak256 keccak;
    private final Cipher aes;
    private final byte[] digest = new byte[Keccak256.LENGTH];
    private final byte[] seed = new byte[MAC_LENGTH];

    Mac(Keccak256 initial, byte[] macSecret) {
      this.keccak = new Keccak256(initial);
      try {
        this.aes = Cipher.getInstance("AES/ECB/NoPadding");
        this.aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(macSecret, "AES"));
      } catch (GeneralSecurityException e) {
        // Every Java SE runtime must provide AES/ECB/NoPadding with 256-bit keys.
        throw new IllegalStateException("this JVM lacks AES-256-ECB", e);
      }
    }

    /**
     * header-mac-seed = aes(mac-secret, digest[:16]) ^ header-ciphertext; writes the MAC to {@code
     * mac} at {@code macOff}.
     */
    void header(byte[] headerCiphertext, byte[] mac, int macOff) {
      encryptDigest();
      for (int i = 0; i < MAC_LENGTH; i++) {
        seed[i] ^= headerCiphertext[i];
      }
      keccak.update(seed, 0, MAC_LENGTH);
      keccak.digest(digest, 0);
      System.arraycopy(digest, 0, mac, macOff, MAC_LENGTH);
    }

    /**
     * Absorbs the frame ciphertext, then frame-mac-seed = aes(digest[:16]) ^ digest[:16]; writes
     * the MAC to {@code mac} at {@code macOff}.
     */
    void frame(byte[] ciphertext, int off, int len, byte[] mac, int macOff) {
      keccak.update(ciphertext, off, len);
      encryptDigest();
      for (int i = 0; i < MAC_LENGTH; i++) {
        seed[i] ^= digest[i];
      }
      keccak.update(seed, 0, MAC_LENGTH);
      keccak.digest(digest, 0);
      System.arraycopy(digest, 0, mac, macOff, MAC_LENGTH);
    }

    /** The full 32-byte digest of the running state; only the spec's vector test needs it. */
    byte[] fullDigest() {
      return keccak.digest();
    }

    void update(byte[] b) {
      keccak.update(b, 0, b.length);
    }

    /** seed = aes(mac-secret, digest[:16]) of the running state; digest holds that digest. */
    private void encryptDigest() {
      keccak.digest(digest, 0);
      try {
        aes.update(digest, 0, MAC_LENGTH, seed, 0);
      } catch (ShortBufferException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
