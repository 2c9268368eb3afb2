package io.peerflow.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class Secp256k1Test {

  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void derivesTheWellKnownPublicKeyOfPrivateKeyOne() {
    byte[] one = new byte[32];
    one[31] = 1;
    // The generator point G of secp256k1 (SEC 2).
    assertThat(HexFormat.of().formatHex(Secp256k1.publicKey(one)))
        .isEqualTo(
            "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
                + "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8");
  }

  @Property(tries = 30)
  void signaturesRecoverTheSignersKey(@ForAll @Size(32) byte[] hash) throws Exception {
    byte[] key = Secp256k1.generatePrivateKey(RANDOM);
    byte[] sig = Secp256k1.sign(key, hash);
    assertThat(sig).hasSize(65);
    assertThat(sig[64]).isBetween((byte) 0, (byte) 3);
    assertThat(Secp256k1.recover(sig, hash)).isEqualTo(Secp256k1.publicKey(key));
  }

  @Test
  void signaturesHaveLowS() {
    byte[] key = Secp256k1.generatePrivateKey(RANDOM);
    java.math.BigInteger halfN =
        new java.math.BigInteger(
            "7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0", 16);
    for (int i = 0; i < 20; i++) {
      byte[] hash = new byte[32];
      RANDOM.nextBytes(hash);
      byte[] sig = Secp256k1.sign(key, hash);
      assertThat(new java.math.BigInteger(1, Arrays.copyOfRange(sig, 32, 64)))
          .isLessThanOrEqualTo(halfN);
    }
  }

  @Test
  void aTamperedMessageRecoversADifferentKeyOrNone() throws Exception {
    byte[] key = Secp256k1.generatePrivateKey(RANDOM);
    byte[] hash = new byte[32];
    byte[] sig = Secp256k1.sign(key, hash);
    hash[0] = 1;
    assertThat(Secp256k1.recover(sig, hash)).isNotEqualTo(Secp256k1.publicKey(key));
  }

  @Test
  void malformedSignaturesAreRefused() {
    byte[] hash = new byte[32];
    assertThatThrownBy(() -> Secp256k1.recover(new byte[64], hash))
        .isInstanceOf(SignatureException.class);
    byte[] zero = new byte[65];
    assertThatThrownBy(() -> Secp256k1.recover(zero, hash))
        .isInstanceOf(SignatureException.class)
        .hasMessageContaining("out of range");
    byte[] badV = Secp256k1.sign(Secp256k1.generatePrivateKey(RANDOM), hash);
    badV[64] = 27;
    assertThatThrownBy(() -> Secp256k1.recover(badV, hash))
        .isInstanceOf(SignatureException.class)
        .hasMessageContaining("recovery id");
  }

  @Test
  void ecdhIsSymmetric() {
    byte[] a = Secp256k1.generatePrivateKey(RANDOM);
    byte[] b = Secp256k1.generatePrivateKey(RANDOM);
    assertThat(Secp256k1.agree(a, Secp256k1.publicKey(b)))
        .isEqualTo(Secp256k1.agree(b, Secp256k1.publicKey(a)))
        .hasSize(32);
  }

  @Test
  void publicKeysOffTheCurveAreRefused() {
    byte[] pub = Secp256k1.publicKey(Secp256k1.generatePrivateKey(RANDOM));
    pub[63] ^= 1;
    assertThatThrownBy(() -> Secp256k1.checkPublicKey(pub))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a point");
    byte[] key = Secp256k1.generatePrivateKey(RANDOM);
    assertThatThrownBy(() -> Secp256k1.agree(key, pub))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Secp256k1.checkPublicKey(new byte[64]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Secp256k1.checkPublicKey(new byte[65]))
        .hasMessageContaining("64 bytes");
  }

  @Test
  void privateKeysOutsideOneToNMinusOneAreInvalid() {
    assertThat(Secp256k1.isValidPrivateKey(new byte[32])).isFalse();
    byte[] n =
        HexFormat.of().parseHex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
    assertThat(Secp256k1.isValidPrivateKey(n)).isFalse();
    n[31] = 0x40;
    assertThat(Secp256k1.isValidPrivateKey(n)).isTrue();
    assertThat(Secp256k1.isValidPrivateKey(new byte[31])).isFalse();
  }
}
