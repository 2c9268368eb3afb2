package io.peerflow.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.junit.jupiter.api.Test;

class Keccak256Test {

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  @Test
  void theEmptyStringHashesToTheKnownValue() {
    assertThat(hex(Keccak256.hash()))
        .isEqualTo("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  }

  @Test
  void theEmptyListRlpHashesToTheEmptyOmmersHash() {
    assertThat(hex(Keccak256.hash(new byte[] {(byte) 0xc0})))
        .isEqualTo("1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");
  }

  @Test
  void aShortAsciiStringHashesToTheKnownValue() {
    assertThat(hex(Keccak256.hash("abc".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  }

  @Test
  void partsHashAsTheirConcatenation() {
    byte[] whole = "hello world".getBytes(StandardCharsets.US_ASCII);
    assertThat(
            Keccak256.hash(
                "hello".getBytes(StandardCharsets.US_ASCII),
                " world".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo(Keccak256.hash(whole));
  }

  @Test
  void aSliceHashesAsTheSameBytesAlone() {
    byte[] data = "xxhello worldyy".getBytes(StandardCharsets.US_ASCII);
    assertThat(Keccak256.digest(data, 2, 11))
        .isEqualTo(Keccak256.hash("hello world".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void aMillionAsHashToTheKnownValue() {
    // The Keccak team's long message: 1,000,000 repetitions of "a", 7,353 blocks and a remainder.
    byte[] a = new byte[1_000_000];
    java.util.Arrays.fill(a, (byte) 'a');
    assertThat(hex(Keccak256.hash(a)))
        .isEqualTo("fadae6b49f129bbb812be8407b7b2894f34aecf6dbd1f9b0f0c7e9853098fc96");
  }

  @Test
  void inputsAroundTheBlockBoundaryHashAsBouncyCastleDoes() {
    // 135 bytes pads inside one block with a single 0x81 byte; 136 needs a whole padding block.
    for (int len = 0; len <= 3 * Keccak256.RATE + 1; len++) {
      byte[] data = new byte[len];
      for (int i = 0; i < len; i++) {
        data[i] = (byte) (i * 31 + 7);
      }
      assertThat(Keccak256.hash(data)).as("length %d", len).isEqualTo(reference(data));
    }
  }

  @Property(tries = 300)
  void anyInputHashesAsBouncyCastleDoes(@ForAll @Size(max = 1200) byte[] data) {
    assertThat(Keccak256.hash(data)).isEqualTo(reference(data));
  }

  @Property(tries = 200)
  void aSpongeFedInPiecesHashesAsTheWhole(
      @ForAll @Size(max = 700) byte[] data, @ForAll @IntRange(min = 1, max = 300) int piece) {
    Keccak256 sponge = new Keccak256();
    for (int off = 0; off < data.length; off += piece) {
      sponge.update(data, off, Math.min(piece, data.length - off));
    }
    assertThat(sponge.digest()).isEqualTo(reference(data));
  }

  @Test
  void aDigestLeavesTheSpongeAbsorbingAndACopyGoesOnAlone() {
    byte[] first = "first part ".repeat(20).getBytes(StandardCharsets.US_ASCII);
    byte[] second = "second".getBytes(StandardCharsets.US_ASCII);
    Keccak256 sponge = new Keccak256().update(first);
    assertThat(sponge.digest()).isEqualTo(reference(first));
    Keccak256 copy = new Keccak256(sponge);
    sponge.update(second);
    assertThat(copy.digest()).isEqualTo(reference(first));
    assertThat(sponge.digest()).isEqualTo(Keccak256.hash(first, second));
  }

  @Test
  void aDigestIsWrittenAtTheGivenOffset() {
    byte[] out = new byte[40];
    Keccak256.digest("abc".getBytes(StandardCharsets.US_ASCII), 0, 3, out, 5);
    assertThat(hex(java.util.Arrays.copyOfRange(out, 5, 37)))
        .isEqualTo("4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
    assertThat(out[4]).isZero();
    assertThat(out[37]).isZero();
  }

  private static byte[] reference(byte[] data) {
    KeccakDigest d = new KeccakDigest(256);
    d.update(data, 0, data.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }
}
