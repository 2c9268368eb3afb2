package io.peerflow.rlpx.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerflow.crypto.Secp256k1;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class EciesTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private final byte[] key = Secp256k1.generatePrivateKey(RANDOM);
  private final byte[] pub = Secp256k1.publicKey(key);

  @Property(tries = 20)
  void messagesRoundTripWithTheirSharedMacData(
      @ForAll @Size(max = 600) byte[] plain, @ForAll @Size(max = 4) byte[] macData)
      throws Exception {
    byte[] enc = Ecies.encrypt(pub, plain, macData, RANDOM);
    assertThat(enc).hasSize(plain.length + Ecies.OVERHEAD);
    assertThat(enc[0]).isEqualTo((byte) 0x04);
    assertThat(Ecies.decrypt(key, enc, macData)).isEqualTo(plain);
  }

  @Test
  void anyFlippedBitFailsTheTag() {
    byte[] enc = Ecies.encrypt(pub, "hello".getBytes(), new byte[0], RANDOM);
    for (int i = 65; i < enc.length; i++) {
      byte[] t = enc.clone();
      t[i] ^= 1;
      assertThatThrownBy(() -> Ecies.decrypt(key, t, new byte[0]))
          .isInstanceOf(GeneralSecurityException.class)
          .hasMessageContaining("tag mismatch");
    }
  }

  @Test
  void differentSharedMacDataFailsTheTag() {
    byte[] enc = Ecies.encrypt(pub, "hello".getBytes(), new byte[] {1, 2}, RANDOM);
    assertThatThrownBy(() -> Ecies.decrypt(key, enc, new byte[] {1, 3}))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void theWrongKeyFails() {
    byte[] enc = Ecies.encrypt(pub, "hello".getBytes(), new byte[0], RANDOM);
    assertThatThrownBy(() -> Ecies.decrypt(Secp256k1.generatePrivateKey(RANDOM), enc, new byte[0]))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void shortOrMalformedMessagesFailCleanly() {
    assertThatThrownBy(() -> Ecies.decrypt(key, new byte[112], new byte[0]))
        .hasMessageContaining("shorter");
    byte[] enc = Ecies.encrypt(pub, "x".getBytes(), new byte[0], RANDOM);
    enc[0] = 0x02;
    assertThatThrownBy(() -> Ecies.decrypt(key, enc, new byte[0]))
        .hasMessageContaining("uncompressed");
    byte[] offCurve = Ecies.encrypt(pub, "x".getBytes(), new byte[0], RANDOM);
    offCurve[64] ^= 1;
    assertThatThrownBy(() -> Ecies.decrypt(key, offCurve, new byte[0]))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("ephemeral key");
  }
}
