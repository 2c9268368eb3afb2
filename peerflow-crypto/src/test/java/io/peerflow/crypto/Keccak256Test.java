package io.peerflow.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
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
}
