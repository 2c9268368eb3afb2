package io.peerflow.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HashTest {

  private static final String SAMPLE =
      "0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3";

  @Test
  void hexRoundTripsInLowerCaseWithPrefix() {
    assertThat(Hash.fromHex(SAMPLE).toHex()).isEqualTo(SAMPLE);
    assertThat(Hash.fromHex(SAMPLE.substring(2).toUpperCase()).toHex()).isEqualTo(SAMPLE);
  }

  @Test
  void bytesRoundTripAndAreCopied() {
    byte[] bytes = new byte[32];
    for (int i = 0; i < 32; i++) {
      bytes[i] = (byte) (i * 7 + 200);
    }
    Hash h = Hash.of(bytes);
    assertThat(h.toArray()).isEqualTo(bytes);
    bytes[0] = 0;
    assertThat(h.toArray()[0]).isEqualTo((byte) 200);
    h.toArray()[1] = 0;
    assertThat(h.toArray()[1]).isEqualTo((byte) 207);
  }

  @Test
  void equalHashesAreEqualAndHashAlike() {
    Hash a = Hash.fromHex(SAMPLE);
    Hash b = Hash.of(a.toArray());
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(Hash.ZERO);
    assertThat(a).isNotEqualTo(SAMPLE);
  }

  @Test
  void hashesDifferingInAnyByteAreDifferent() {
    Set<Hash> seen = new HashSet<>();
    for (int i = 0; i < 32; i++) {
      byte[] bytes = new byte[32];
      bytes[i] = 1;
      seen.add(Hash.of(bytes));
    }
    seen.add(Hash.ZERO);
    assertThat(seen).hasSize(33);
  }

  @Test
  void smallTestHashesSpreadOverHashCodes() {
    Set<Integer> codes = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      codes.add(Hash.fromHex(String.format("0x%064x", i)).hashCode());
    }
    assertThat(codes).hasSize(1000);
  }

  @Test
  void ordersAsUnsignedBigEndianNumbers() {
    Hash small = Hash.fromHex("0x" + "00".repeat(31) + "ff");
    Hash big = Hash.fromHex("0x80" + "00".repeat(31));
    Hash[] sorted = {big, small, Hash.ZERO};
    Arrays.sort(sorted);
    assertThat(sorted).containsExactly(Hash.ZERO, small, big);
    assertThat(small.compareTo(Hash.of(small.toArray()))).isZero();
  }

  @Test
  void rejectsWrongLengthsAndNonHexDigits() {
    assertThatThrownBy(() -> Hash.fromHex("0x1234")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Hash.fromHex("0x" + "zz".repeat(32)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a hex digit");
    assertThatThrownBy(() -> Hash.of(new byte[31])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void zeroIsAllZeroBytes() {
    assertThat(Hash.ZERO.toArray()).containsOnly(0);
    assertThat(Hash.ZERO.toString()).isEqualTo("0x" + "0".repeat(64));
  }
}
