package io.peerflow.rlpx;

import io.peerflow.crypto.Keccak256;
import io.peerflow.crypto.Secp256k1;
import io.peerflow.rlp.RlpException;
import io.peerflow.rlp.RlpReader;
import io.peerflow.rlp.RlpWriter;
import io.peerflow.rlpx.crypto.Ecies;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.SignatureException;
import java.util.Arrays;

/**
 * One side of the RLPx key-agreement handshake (rlpx.md, "Initial Handshake"; EIP-8), as plain
 * byte-array logic so it can be checked against the spec's vectors without a network.
 *
 * <p>The initiator {@link #createAuth() sends auth} and {@link #readPacket reads ack}; the
 * recipient reads auth and {@link #createAck() sends ack}. We always send the EIP-8 format for
 * auth, and answer a legacy (pre-EIP-8) auth with a legacy ack, as EIP-8 asks; both formats of
 * either packet are accepted. Not thread-safe: one instance per connection, driven by its event
 * loop.
 */
final class Handshake {

  /** EIP-8 version number we send; a different number from the peer is ignored (EIP-8). */
  static final int VERSION = 4;

  /**
   * Legacy auth: ECIES over sig (65) || keccak(ephemeral pubkey) (32) || pubkey (64) || nonce (32)
   * || token flag (1) = 194 bytes, plus {@link Ecies#OVERHEAD} (113) = 307.
   */
  static final int LEGACY_AUTH_LENGTH = 194 + Ecies.OVERHEAD;

  /** Legacy ack: ECIES over ephemeral pubkey (64) || nonce (32) || token flag (1) = 97 + 113. */
  static final int LEGACY_ACK_LENGTH = 97 + Ecies.OVERHEAD;

  /** The smallest EIP-8 body: anything shorter than ECIES's overhead cannot even hold a tag. */
  static final int MIN_EIP8_SIZE = Ecies.OVERHEAD + 1;

  /**
   * EIP-8: "pad auth-body with at least 100 bytes of junk data. Adding a random amount in range
   * [100, 300] is recommended", so packet sizes do not identify the format; we pad ack the same.
   */
  private static final int MIN_PADDING = 100;

  private static final int MAX_PADDING = 300;

  /** Nonces are 32 random bytes, the size of the secrets they are mixed into. */
  private static final int NONCE_LENGTH = 32;

  private final boolean initiator;
  private final NodeKey nodeKey;
  private final SecureRandom random;
  private final byte[] ephemeralKey;
  private final byte[] nonce;

  private NodeId remoteId;
  private byte[] remoteEphemeralKey;
  private byte[] remoteNonce;
  private byte[] authPacket;
  private byte[] ackPacket;
  private boolean legacyPeer;

  /**
   * Full constructor; {@code ephemeralKey} and {@code nonce} are fixed here only by tests that
   * replay the spec's vectors.
   */
  Handshake(
      boolean initiator,
      NodeKey nodeKey,
      NodeId remoteId,
      byte[] ephemeralKey,
      byte[] nonce,
      SecureRandom random) {
    if (initiator && remoteId == null) {
      throw new IllegalArgumentException("the initiator must know the recipient's id");
    }
    this.initiator = initiator;
    this.nodeKey = nodeKey;
    this.remoteId = remoteId;
    this.ephemeralKey = ephemeralKey.clone();
    this.nonce = nonce.clone();
    this.random = random;
  }

  /** The dialing side, which must know the recipient's id. */
  static Handshake initiator(NodeKey nodeKey, NodeId remoteId, SecureRandom random) {
    return new Handshake(
        true, nodeKey, remoteId, Secp256k1.generatePrivateKey(random), randomNonce(random), random);
  }

  /** The accepting side; learns the initiator's id from auth. */
  static Handshake recipient(NodeKey nodeKey, SecureRandom random) {
    return new Handshake(
        false, nodeKey, null, Secp256k1.generatePrivateKey(random), randomNonce(random), random);
  }

  private static byte[] randomNonce(SecureRandom random) {
    byte[] n = new byte[NONCE_LENGTH];
    random.nextBytes(n);
    return n;
  }

  boolean isInitiator() {
    return initiator;
  }

  /** Length of the legacy form of the packet this side expects to read. */
  int legacyPacketLength() {
    return initiator ? LEGACY_ACK_LENGTH : LEGACY_AUTH_LENGTH;
  }

  /** Builds the EIP-8 auth packet (initiator only); call once. */
  byte[] createAuth() {
    check(initiator && authPacket == null, "createAuth");
    byte[] signature = Secp256k1.sign(ephemeralKey, xor(staticSharedSecret(), nonce));
    byte[] body =
        new RlpWriter()
            .startList()
            .writeBytes(signature)
            .writeBytes(nodeKey.id().rawBytes())
            .writeBytes(nonce)
            .writeLong(VERSION)
            .endList()
            .toByteArray();
    authPacket = sealEip8(body);
    return authPacket.clone();
  }

  /** Builds the ack packet (recipient only, after auth was read), in the format auth came in. */
  byte[] createAck() {
    check(!initiator && remoteEphemeralKey != null && ackPacket == null, "createAck");
    byte[] ephemeralPublic = Secp256k1.publicKey(ephemeralKey);
    if (legacyPeer) {
      byte[] body = new byte[97];
      System.arraycopy(ephemeralPublic, 0, body, 0, 64);
      System.arraycopy(nonce, 0, body, 64, NONCE_LENGTH);
      // body[96] = 0: the token flag, "no session token" (the only value ever used).
      ackPacket = Ecies.encrypt(remoteId.rawBytes(), body, new byte[0], random);
    } else {
      byte[] body =
          new RlpWriter()
              .startList()
              .writeBytes(ephemeralPublic)
              .writeBytes(nonce)
              .writeLong(VERSION)
              .endList()
              .toByteArray();
      ackPacket = sealEip8(body);
    }
    return ackPacket.clone();
  }

  /**
   * Reads the peer's packet (auth for the recipient, ack for the initiator).
   *
   * @param packet the complete packet as received, size prefix included for EIP-8
   * @param legacy whether to decode it as the legacy (pre-EIP-8) format
   * @throws RlpxProtocolException if it does not decrypt or does not hold a valid message
   */
  void readPacket(byte[] packet, boolean legacy) {
    check(remoteNonce == null, "readPacket");
    byte[] plain;
    try {
      plain =
          legacy
              ? Ecies.decrypt(nodeKey.privateKeyBytes(), packet, new byte[0])
              : Ecies.decrypt(
                  nodeKey.privateKeyBytes(),
                  Arrays.copyOfRange(packet, 2, packet.length),
                  Arrays.copyOfRange(packet, 0, 2));
    } catch (GeneralSecurityException e) {
      throw RlpxProtocolException.protocol(
          "cannot decrypt " + (initiator ? "ack" : "auth") + ": " + e.getMessage());
    }
    try {
      if (initiator) {
        readAck(plain, legacy);
        ackPacket = packet.clone();
      } else {
        readAuth(plain, legacy);
        authPacket = packet.clone();
        legacyPeer = legacy;
      }
    } catch (RlpException | IllegalArgumentException e) {
      throw RlpxProtocolException.protocol(
          "malformed " + (initiator ? "ack" : "auth") + ": " + e.getMessage());
    }
  }

  /**
   * Tries the legacy format: returns false, consuming nothing, if the packet does not decrypt as
   * one (then it is probably EIP-8); throws if it decrypts but its content is invalid.
   */
  boolean tryReadLegacy(byte[] packet) {
    try {
      Ecies.decrypt(nodeKey.privateKeyBytes(), packet, new byte[0]);
    } catch (GeneralSecurityException notLegacy) {
      return false;
    }
    readPacket(packet, true);
    return true;
  }

  private void readAuth(byte[] plain, boolean legacy) {
    byte[] signature;
    byte[] initiatorKey;
    byte[] ephemeralHash = null;
    if (legacy) {
      if (plain.length != 194) {
        throw new IllegalArgumentException("legacy auth body of " + plain.length + " bytes");
      }
      signature = Arrays.copyOfRange(plain, 0, 65);
      ephemeralHash = Arrays.copyOfRange(plain, 65, 97);
      initiatorKey = Arrays.copyOfRange(plain, 97, 161);
      remoteNonce = Arrays.copyOfRange(plain, 161, 193);
    } else {
      // EIP-8: ignore auth-vsn, extra list elements and the junk padding after the list.
      RlpReader body = new RlpReader(plain).readList();
      signature = body.readBytes(Secp256k1.SIGNATURE_LENGTH);
      initiatorKey = body.readBytes(Secp256k1.PUBLIC_KEY_LENGTH);
      remoteNonce = body.readBytes(NONCE_LENGTH);
    }
    remoteId = NodeId.of(initiatorKey);
    try {
      remoteEphemeralKey = Secp256k1.recover(signature, xor(staticSharedSecret(), remoteNonce));
    } catch (SignatureException e) {
      throw new IllegalArgumentException("bad signature: " + e.getMessage());
    }
    if (ephemeralHash != null
        && !MessageDigest.isEqual(ephemeralHash, Keccak256.hash(remoteEphemeralKey))) {
      throw new IllegalArgumentException("ephemeral key hash does not match the signature");
    }
  }

  private void readAck(byte[] plain, boolean legacy) {
    byte[] ephemeral;
    if (legacy) {
      if (plain.length != 97) {
        throw new IllegalArgumentException("legacy ack body of " + plain.length + " bytes");
      }
      ephemeral = Arrays.copyOfRange(plain, 0, 64);
      remoteNonce = Arrays.copyOfRange(plain, 64, 96);
    } else {
      RlpReader body = new RlpReader(plain).readList();
      ephemeral = body.readBytes(Secp256k1.PUBLIC_KEY_LENGTH);
      remoteNonce = body.readBytes(NONCE_LENGTH);
    }
    Secp256k1.checkPublicKey(ephemeral);
    remoteEphemeralKey = ephemeral;
  }

  /** The session secrets, once both packets exist. */
  Secrets secrets() {
    check(authPacket != null && ackPacket != null, "secrets");
    return Secrets.derive(
        initiator,
        remoteId,
        ephemeralKey,
        remoteEphemeralKey,
        initiator ? nonce : remoteNonce,
        initiator ? remoteNonce : nonce,
        authPacket,
        ackPacket);
  }

  /** The peer's node id: known from the start for the initiator, from auth for the recipient. */
  NodeId remoteId() {
    return remoteId;
  }

  byte[] remoteEphemeralKey() {
    return remoteEphemeralKey == null ? null : remoteEphemeralKey.clone();
  }

  byte[] remoteNonce() {
    return remoteNonce == null ? null : remoteNonce.clone();
  }

  /** Whether the peer used the legacy format (recipient: for auth; initiator: for ack). */
  boolean legacyPeer() {
    return legacyPeer;
  }

  private byte[] staticSharedSecret() {
    return Secp256k1.agree(nodeKey.privateKeyBytes(), remoteId.rawBytes());
  }

  /** EIP-8 framing: size prefix || ECIES(body || padding), the prefix authenticated by ECIES. */
  private byte[] sealEip8(byte[] body) {
    int padding = MIN_PADDING + random.nextInt(MAX_PADDING - MIN_PADDING + 1);
    byte[] padded = Arrays.copyOf(body, body.length + padding);
    byte[] junk = new byte[padding];
    random.nextBytes(junk);
    System.arraycopy(junk, 0, padded, body.length, padding);
    int size = padded.length + Ecies.OVERHEAD;
    byte[] prefix = {(byte) (size >>> 8), (byte) size};
    byte[] enc = Ecies.encrypt(remoteId.rawBytes(), padded, prefix, random);
    byte[] packet = new byte[2 + enc.length];
    packet[0] = prefix[0];
    packet[1] = prefix[1];
    System.arraycopy(enc, 0, packet, 2, enc.length);
    return packet;
  }

  private static byte[] xor(byte[] a, byte[] b) {
    byte[] out = new byte[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = (byte) (a[i] ^ b[i]);
    }
    return out;
  }

  private static void check(boolean ok, String step) {
    if (!ok) {
      throw new IllegalStateException("handshake step out of order: " + step);
    }
  }
}
