package io.peerflow.rlpx;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.crypto.Secp256k1;
import io.peerflow.rlp.RlpReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Checks the handshake against the vectors published in EIP-8 (node A initiates to node B); see
 * {@code src/test/resources/eip8-vectors.txt}.
 */
class HandshakeVectorsTest {

  private static final NodeKey KEY_A = Eip8Vectors.key("static-key-a");
  private static final NodeKey KEY_B = Eip8Vectors.key("static-key-b");
  private static final byte[] EPHEMERAL_A = Eip8Vectors.get("ephemeral-key-a");
  private static final byte[] EPHEMERAL_B = Eip8Vectors.get("ephemeral-key-b");
  private static final byte[] NONCE_A = Eip8Vectors.get("nonce-a");
  private static final byte[] NONCE_B = Eip8Vectors.get("nonce-b");

  private static Handshake recipientB() {
    return new Handshake(false, KEY_B, null, EPHEMERAL_B, NONCE_B, new SecureRandom());
  }

  private static Handshake initiatorA() {
    return new Handshake(true, KEY_A, KEY_B.id(), EPHEMERAL_A, NONCE_A, new SecureRandom());
  }

  @ParameterizedTest(name = "{0} (legacy={1})")
  @CsvSource({"auth1, true", "auth2, false", "auth3, false"})
  void recipientDecodesEveryAuthFormat(String vector, boolean legacy) {
    byte[] auth = Eip8Vectors.get(vector);
    Handshake b = recipientB();
    if (legacy) {
      assertThat(b.tryReadLegacy(auth)).isTrue();
    } else {
      assertThat(b.tryReadLegacy(java.util.Arrays.copyOf(auth, Handshake.LEGACY_AUTH_LENGTH)))
          .as("an EIP-8 packet must not pass for a legacy one")
          .isFalse();
      b.readPacket(auth, false);
    }
    assertThat(b.legacyPeer()).isEqualTo(legacy);
    assertThat(b.remoteId()).isEqualTo(KEY_A.id());
    assertThat(b.remoteNonce()).isEqualTo(NONCE_A);
    assertThat(b.remoteEphemeralKey()).isEqualTo(Secp256k1.publicKey(EPHEMERAL_A));
  }

  @ParameterizedTest(name = "{0} (legacy={1})")
  @CsvSource({"ack1, true", "ack2, false", "ack3, false"})
  void initiatorDecodesEveryAckFormat(String vector, boolean legacy) {
    byte[] ack = Eip8Vectors.get(vector);
    Handshake a = initiatorA();
    a.createAuth();
    if (legacy) {
      assertThat(a.tryReadLegacy(ack)).isTrue();
    } else {
      assertThat(a.tryReadLegacy(java.util.Arrays.copyOf(ack, Handshake.LEGACY_ACK_LENGTH)))
          .isFalse();
      a.readPacket(ack, false);
    }
    assertThat(a.remoteNonce()).isEqualTo(NONCE_B);
    assertThat(a.remoteEphemeralKey()).isEqualTo(Secp256k1.publicKey(EPHEMERAL_B));
  }

  @Test
  void recipientDerivesTheSpecSecretsForAuth2Ack2() {
    byte[] auth = Eip8Vectors.get("auth2");
    byte[] ack = Eip8Vectors.get("ack2");
    Handshake b = recipientB();
    b.readPacket(auth, false);
    Secrets s =
        Secrets.derive(
            false,
            b.remoteId(),
            EPHEMERAL_B,
            b.remoteEphemeralKey(),
            b.remoteNonce(),
            NONCE_B,
            auth,
            ack);

    assertThat(s.aesSecret).isEqualTo(Eip8Vectors.get("aes-secret"));
    assertThat(s.macSecret).isEqualTo(Eip8Vectors.get("mac-secret"));
    FrameCipher.Mac ingress = new FrameCipher.Mac(s.ingressMac, s.macSecret);
    ingress.update("foo".getBytes(StandardCharsets.US_ASCII));
    assertThat(HexFormat.of().formatHex(ingress.fullDigest()))
        .isEqualTo(HexFormat.of().formatHex(Eip8Vectors.get("ingress-mac-foo")));
  }

  @Test
  void initiatorDerivesTheMirrorImageOfTheRecipientsSecrets() {
    byte[] auth = Eip8Vectors.get("auth2");
    byte[] ack = Eip8Vectors.get("ack2");
    Handshake a = initiatorA();
    a.createAuth();
    a.readPacket(ack, false);
    Secrets s =
        Secrets.derive(
            true,
            KEY_B.id(),
            EPHEMERAL_A,
            a.remoteEphemeralKey(),
            NONCE_A,
            a.remoteNonce(),
            auth,
            ack);

    assertThat(s.aesSecret).isEqualTo(Eip8Vectors.get("aes-secret"));
    assertThat(s.macSecret).isEqualTo(Eip8Vectors.get("mac-secret"));
    // A's egress MAC is B's ingress MAC.
    FrameCipher.Mac egress = new FrameCipher.Mac(s.egressMac, s.macSecret);
    egress.update("foo".getBytes(StandardCharsets.US_ASCII));
    assertThat(egress.fullDigest()).isEqualTo(Eip8Vectors.get("ingress-mac-foo"));
  }

  @Test
  void decodesTheSpecsForwardCompatibleHello() {
    Hello hello = Hello.decode(Eip8Vectors.get("hello"));
    assertThat(hello.protocolVersion()).isEqualTo(55);
    assertThat(hello.clientId()).isEqualTo("kneth/v0.91/plan9");
    assertThat(hello.capabilities())
        .containsExactly(new Hello.Cap("eth", 61), new Hello.Cap("mork", 22));
    assertThat(hello.listenPort()).isEqualTo(9999);
    assertThat(hello.nodeId()).hasSize(64);
    // Additional list elements (["foo", "bar"], 3, 4) are ignored, not rejected.
    assertThat(new RlpReader(Eip8Vectors.get("hello")).readList().remainingItems()).isEqualTo(8);
  }
}
