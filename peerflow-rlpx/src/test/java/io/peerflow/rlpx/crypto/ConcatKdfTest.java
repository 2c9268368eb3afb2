package io.peerflow.rlpx.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.junit.jupiter.api.Test;

class ConcatKdfTest {

  private static byte[] sha256(byte[]... parts) {
    SHA256Digest d = new SHA256Digest();
    for (byte[] p : parts) {
      d.update(p, 0, p.length);
    }
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }

  @Test
  void isTheCounterPrefixedHashChainOfSp800_56A() {
    byte[] z = HexFormat.of().parseHex("0102030405");
    byte[] info = {9};
    byte[] k = ConcatKdf.sha256(z, info, 70);
    byte[] expected = new byte[96];
    System.arraycopy(sha256(new byte[] {0, 0, 0, 1}, z, info), 0, expected, 0, 32);
    System.arraycopy(sha256(new byte[] {0, 0, 0, 2}, z, info), 0, expected, 32, 32);
    System.arraycopy(sha256(new byte[] {0, 0, 0, 3}, z, info), 0, expected, 64, 32);
    assertThat(k).isEqualTo(Arrays.copyOf(expected, 70));
  }

  @Test
  void shorterOutputsArePrefixesOfLongerOnes() {
    byte[] z = {1, 2, 3};
    assertThat(ConcatKdf.sha256(z, new byte[0], 64))
        .startsWith(ConcatKdf.sha256(z, new byte[0], 32))
        .startsWith(ConcatKdf.sha256(z, new byte[0], 16));
    assertThat(ConcatKdf.sha256(z, new byte[0], 0)).isEmpty();
  }
}
