package io.peerflow.rlpx;

import java.security.SecureRandom;

/** Runs a complete in-memory handshake, for tests that need matching secrets on both sides. */
final class HandshakePair {

  static final SecureRandom RANDOM = new SecureRandom();

  final NodeKey initiatorKey = NodeKey.generate(RANDOM);
  final NodeKey recipientKey = NodeKey.generate(RANDOM);
  final Handshake initiator = Handshake.initiator(initiatorKey, recipientKey.id(), RANDOM);
  final Handshake recipient = Handshake.recipient(recipientKey, RANDOM);
  final byte[] auth;
  final byte[] ack;

  HandshakePair() {
    auth = initiator.createAuth();
    recipient.readPacket(auth, false);
    ack = recipient.createAck();
    initiator.readPacket(ack, false);
  }

  Secrets initiatorSecrets() {
    return initiator.secrets();
  }

  Secrets recipientSecrets() {
    return recipient.secrets();
  }
}
