package io.peerflow.rlpx;

import java.security.MessageDigest;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.CTRModeCipher;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * The frame cipher as it was before AES moved to the JDK's cipher and Keccak to peerflow-crypto's
 * (Bouncy Castle's pure-Java {@code AESEngine} and {@code KeccakDigest}), kept only to be measured
 * beside its replacement in {@code FrameCipherBenchmark}.
 *
 * <p>RLPx frame encryption and authentication (rlpx.md, "Framing" and "MAC"): AES-256-CTR with the
 * aes-secret and a zero IV, one key stream per direction, and the Keccak-based egress and ingress
 * MACs that are seeded through AES-256-ECB with the mac-secret.
 *
 * <p>Not thread-safe: both the cipher streams and the MAC states advance with every frame, so
 * frames must be sealed and opened in wire order by one thread (the connection's event loop). After
 * a failed {@link #openHeader}/{@link #openBody} the ingress state is unusable and the connection
 * must end.
 */
final class BouncyCastleFrameCipher {

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

  private final CTRModeCipher encryptor;
  private final CTRModeCipher decryptor;
  private final Mac egress;
  private final Mac ingress;

  BouncyCastleFrameCipher(
      byte[] aesSecret, byte[] macSecret, KeccakDigest egressMac, KeccakDigest ingressMac) {
    this.encryptor = ctr(aesSecret);
    this.decryptor = ctr(aesSecret);
    this.egress = new Mac(egressMac, macSecret);
    this.ingress = new Mac(ingressMac, macSecret);
  }

  private static CTRModeCipher ctr(byte[] key) {
    CTRModeCipher c = SICBlockCipher.newInstance(AESEngine.newInstance());
    c.init(true, new ParametersWithIV(new KeyParameter(key), new byte[16]));
    return c;
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
    byte[] out = new byte[HEADER_LENGTH + MAC_LENGTH];
    out[0] = (byte) (frameSize >>> 16);
    out[1] = (byte) (frameSize >>> 8);
    out[2] = (byte) frameSize;
    System.arraycopy(HEADER_DATA, 0, out, 3, HEADER_DATA.length);
    encryptor.processBytes(out, 0, HEADER_LENGTH, out, 0);
    System.arraycopy(egress.header(out), 0, out, HEADER_LENGTH, MAC_LENGTH);
    return out;
  }

  /** Frame ciphertext (zero-padded to 16 bytes) and frame MAC for {@code len} bytes of data. */
  byte[] sealBody(byte[] data, int off, int len) {
    int padded = paddedLength(len);
    byte[] out = new byte[padded + MAC_LENGTH];
    System.arraycopy(data, off, out, 0, len);
    encryptor.processBytes(out, 0, padded, out, 0);
    System.arraycopy(egress.frame(out, padded), 0, out, padded, MAC_LENGTH);
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
    byte[] expected = ingress.header(header);
    if (!equal(expected, header, HEADER_LENGTH)) {
      throw new IllegalStateException("frame header MAC mismatch");
    }
    decryptor.processBytes(header, 0, HEADER_LENGTH, header, 0);
    return ((header[0] & 0xff) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
  }

  /**
   * Checks the frame MAC, then decrypts in place: afterwards the first {@code frameSize} bytes of
   * {@code body} are the frame data (the rest is padding and MAC).
   *
   * @param body {@code paddedLength(frameSize) + MAC_LENGTH} bytes
   * @throws RlpxProtocolException on a MAC mismatch
   */
  void openBody(byte[] body, int frameSize) {
    int padded = paddedLength(frameSize);
    if (body.length != padded + MAC_LENGTH) {
      throw new IllegalArgumentException(
          "frame body of " + body.length + " bytes, expected " + (padded + MAC_LENGTH));
    }
    byte[] expected = ingress.frame(body, padded);
    if (!equal(expected, body, padded)) {
      throw new IllegalStateException("frame MAC mismatch");
    }
    decryptor.processBytes(body, 0, padded, body, 0);
  }

  private static boolean equal(byte[] mac, byte[] buf, int off) {
    byte[] got = new byte[MAC_LENGTH];
    System.arraycopy(buf, off, got, 0, MAC_LENGTH);
    return MessageDigest.isEqual(mac, got);
  }

  /**
   * One direction's MAC: a running Keccak-256 over everything sent in that direction, mixed through
   * AES so header and frame MACs depend on the secret, not only on the ciphertext.
   */
  static final class Mac {
    private final KeccakDigest keccak;
    private final BlockCipher aes;

    Mac(KeccakDigest initial, byte[] macSecret) {
      this.keccak = new KeccakDigest(initial);
      this.aes = AESEngine.newInstance();
      this.aes.init(true, new KeyParameter(macSecret));
    }

    /** header-mac-seed = aes(mac-secret, digest[:16]) ^ header-ciphertext; returns the MAC. */
    byte[] header(byte[] headerCiphertext) {
      byte[] seed = encryptDigest();
      for (int i = 0; i < MAC_LENGTH; i++) {
        seed[i] ^= headerCiphertext[i];
      }
      keccak.update(seed, 0, MAC_LENGTH);
      return digest();
    }

    /** Absorbs the frame ciphertext, then frame-mac-seed = aes(digest[:16]) ^ digest[:16]. */
    byte[] frame(byte[] ciphertext, int len) {
      keccak.update(ciphertext, 0, len);
      byte[] d = digest();
      byte[] seed = encryptDigest();
      for (int i = 0; i < MAC_LENGTH; i++) {
        seed[i] ^= d[i];
      }
      keccak.update(seed, 0, MAC_LENGTH);
      return digest();
    }

    /** keccak256.digest of the running state without finishing it: a copy is finished. */
    byte[] digest() {
      byte[] full = new byte[32];
      new KeccakDigest(keccak).doFinal(full, 0);
      byte[] out = new byte[MAC_LENGTH];
      System.arraycopy(full, 0, out, 0, MAC_LENGTH);
      return out;
    }

    /** The full 32-byte digest of the running state; only the spec's vector test needs it. */
    byte[] fullDigest() {
      byte[] full = new byte[32];
      new KeccakDigest(keccak).doFinal(full, 0);
      return full;
    }

    void update(byte[] b) {
      keccak.update(b, 0, b.length);
    }

    private byte[] encryptDigest() {
      byte[] out = new byte[MAC_LENGTH];
      aes.processBlock(digest(), 0, out, 0);
      return out;
    }
  }
}
