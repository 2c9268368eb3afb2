package io.peerflow.rlpx;

import io.peerflow.crypto.Secp256k1;
import java.security.SecureRandom;

/**
 * Both ends of the RLPx session that EIP-8's vectors describe (node A sends auth2 to node B, which
 * answers ack2): fixed keys, nonces and packets, so the session secrets, and every frame sealed
 * with them, are the same on every run. Fuzz tests need that: a committed input must mean the same
 * frames tomorrow.
 */
final class VectorSession {

  static final NodeKey KEY_A = Eip8Vectors.key("static-key-a");
  static final NodeKey KEY_B = Eip8Vectors.key("static-key-b");
  static final byte[] EPHEMERAL_A = Eip8Vectors.get("ephemeral-key-a");
  static final byte[] EPHEMERAL_B = Eip8Vectors.get("ephemeral-key-b");
  static final byte[] NONCE_A = Eip8Vectors.get("nonce-a");
  static final byte[] NONCE_B = Eip8Vectors.get("nonce-b");

  private VectorSession() {}

  /** B, waiting for A's auth; {@code random} pads and encrypts its ack. */
  static Handshake recipientB(SecureRandom random) {
    return new Handshake(false, KEY_B, null, EPHEMERAL_B, NONCE_B, random);
  }

  /** A, about to send auth to B; {@code random} pads and encrypts it. */
  static Handshake initiatorA(SecureRandom random) {
    return new Handshake(true, KEY_A, KEY_B.id(), EPHEMERAL_A, NONCE_A, random);
  }

  /** A's secrets for the session of auth2 and ack2. */
  static Secrets initiatorSecrets() {
    return Secrets.derive(
        true,
        KEY_B.id(),
        EPHEMERAL_A,
        Secp256k1.publicKey(EPHEMERAL_B),
        NONCE_A,
        NONCE_B,
        Eip8Vectors.get("auth2"),
        Eip8Vectors.get("ack2"));
  }

  /** B's secrets for the same session: what A seals, B opens. */
  static Secrets recipientSecrets() {
    return Secrets.derive(
        false,
        KEY_A.id(),
        EPHEMERAL_B,
        Secp256k1.publicKey(EPHEMERAL_A),
        NONCE_A,
        NONCE_B,
        Eip8Vectors.get("auth2"),
        Eip8Vectors.get("ack2"));
  }

  /**
   * A random source that gives the same bytes for the same seed, so that packets a fuzz test
   * encrypts from its input are the same on every run.
   */
  static SecureRandom deterministicRandom(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      // Seeding before the first use replaces the system entropy: the stream is fixed.
      r.setSeed(seed);
      return r;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA1PRNG is in every JDK", e);
    }
  }
}
