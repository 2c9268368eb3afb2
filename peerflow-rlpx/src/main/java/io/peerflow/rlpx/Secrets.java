package io.peerflow.rlpx;

import io.peerflow.crypto.Keccak256;
import io.peerflow.crypto.Secp256k1;

/**
 * The session secrets both sides derive at the end of the RLPx handshake (rlpx.md, "Initial
 * Handshake" and "MAC"): the AES and MAC secrets and the initial Keccak states of the egress and
 * ingress MACs.
 *
 * <p>Effectively immutable once derived: the MAC states are Keccak sponges, but the frame cipher
 * copies them before absorbing anything, so one {@code Secrets} may seed several ciphers (tests
 * pair two from the same handshake).
 */
final class Secrets {

  final NodeId remoteId;
  final byte[] aesSecret;
  final byte[] macSecret;
  final Keccak256 egressMac;
  final Keccak256 ingressMac;

  private Secrets(
      NodeId remoteId,
      byte[] aesSecret,
      byte[] macSecret,
      Keccak256 egressMac,
      Keccak256 ingressMac) {
    this.remoteId = remoteId;
    this.aesSecret = aesSecret;
    this.macSecret = macSecret;
    this.egressMac = egressMac;
    this.ingressMac = ingressMac;
  }

  /**
   * Derives the secrets, as the spec writes them:
   *
   * <pre>
   * ephemeral-key = ecdh.agree(ephemeral-privkey, remote-ephemeral-pubk)
   * shared-secret = keccak256(ephemeral-key || keccak256(recipient-nonce || initiator-nonce))
   * aes-secret    = keccak256(ephemeral-key || shared-secret)
   * mac-secret    = keccak256(ephemeral-key || aes-secret)
   * initiator: egress = keccak((mac-secret ^ recipient-nonce) || auth),
   *            ingress = keccak((mac-secret ^ initiator-nonce) || ack); recipient the other way.
   * </pre>
   *
   * {@code auth} and {@code ack} are the packets exactly as sent on the wire, size prefix included
   * for EIP-8.
   */
  static Secrets derive(
      boolean initiator,
      NodeId remoteId,
      byte[] ephemeralPrivateKey,
      byte[] remoteEphemeralPublicKey,
      byte[] initiatorNonce,
      byte[] recipientNonce,
      byte[] auth,
      byte[] ack) {
    byte[] ecdhe = Secp256k1.agree(ephemeralPrivateKey, remoteEphemeralPublicKey);
    byte[] shared = Keccak256.hash(ecdhe, Keccak256.hash(recipientNonce, initiatorNonce));
    byte[] aes = Keccak256.hash(ecdhe, shared);
    byte[] mac = Keccak256.hash(ecdhe, aes);
    Keccak256 authSide = macState(mac, recipientNonce, auth);
    Keccak256 ackSide = macState(mac, initiatorNonce, ack);
    return initiator
        ? new Secrets(remoteId, aes, mac, authSide, ackSide)
        : new Secrets(remoteId, aes, mac, ackSide, authSide);
  }

  private static Keccak256 macState(byte[] macSecret, byte[] nonce, byte[] packet) {
    Keccak256 d = new Keccak256();
    byte[] x = new byte[32];
    for (int i = 0; i < 32; i++) {
      x[i] = (byte) (macSecret[i] ^ nonce[i]);
    }
    d.update(x, 0, x.length);
    d.update(packet, 0, packet.length);
    return d;
  }
}
