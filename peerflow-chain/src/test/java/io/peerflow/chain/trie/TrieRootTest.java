package io.peerflow.chain.trie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class TrieRootTest {

  @Property(tries = 300)
  void anOrderedTrieHasTheRootOfTheArrayPerNodeComputation(
      @ForAll @Size(max = 300) List<@Size(min = 1, max = 200) byte[]> values) {
    assertThat(TrieRoot.ordered(values)).isEqualTo(ReferenceTrieRoot.ordered(values));
  }

  @Property(tries = 100)
  void valuesLaidEndToEndHaveTheRootOfTheSameValuesApart(
      @ForAll @Size(max = 200) List<@Size(min = 1, max = 100) byte[]> values) {
    int total = values.stream().mapToInt(v -> v.length).sum();
    byte[] buf = new byte[total + 7];
    int[] ends = new int[values.size()];
    int at = 0;
    for (int i = 0; i < values.size(); i++) {
      System.arraycopy(values.get(i), 0, buf, at, values.get(i).length);
      at += values.get(i).length;
      ends[i] = at;
    }
    assertThat(TrieRoot.ordered(buf, ends)).isEqualTo(TrieRoot.ordered(values));
  }

  @Property(tries = 200)
  void anyKeysHaveTheRootOfTheArrayPerNodeComputation(
      @ForAll @Size(max = 60) List<@Size(min = 1, max = 6) byte[]> rawKeys) {
    // Short keys over a small alphabet, so some are prefixes of others and values land in branches.
    List<byte[]> keys = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (byte[] k : rawKeys) {
      byte[] key = new byte[k.length];
      for (int i = 0; i < k.length; i++) {
        key[i] = (byte) (k[i] & 0x11);
      }
      if (seen.add(java.util.HexFormat.of().formatHex(key))) {
        keys.add(key);
        values.add(new byte[] {(byte) keys.size(), k[0]});
      }
    }
    assertThat(TrieRoot.of(keys, values)).isEqualTo(ReferenceTrieRoot.of(keys, values));
  }

  @Property(tries = 200)
  void hashedKeysWithOneByteValuesHaveTheRootOfTheArrayPerNodeComputation(
      @ForAll @Size(min = 1, max = 40) List<@Size(min = 32, max = 32) byte[]> rawKeys,
      @ForAll byte small) {
    // A storage trie's shape: 32-byte keys, values of one byte below 0x80 (a slot holding 1), so
    // a leaf is long enough to be hashed while its value is its own encoding.
    List<byte[]> keys = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (byte[] k : rawKeys) {
      if (seen.add(java.util.HexFormat.of().formatHex(k))) {
        keys.add(k);
        values.add(new byte[] {(byte) ((small & 0x7f) | (keys.size() & 1))});
      }
    }
    assertThat(TrieRoot.of(keys, values)).isEqualTo(ReferenceTrieRoot.of(keys, values));
  }

  @Test
  void theEmptyTrieHasTheEmptyRoot() {
    assertThat(TrieRoot.ordered(List.of())).isEqualTo(TrieRoot.EMPTY);
  }

  @Test
  void duplicateKeysAndEmptyValuesAreRefused() {
    assertThatThrownBy(
            () ->
                TrieRoot.of(
                    List.of(new byte[] {1}, new byte[] {1}),
                    List.of(new byte[] {1}, new byte[] {2})))
        .hasMessageContaining("duplicate");
    assertThatThrownBy(() -> TrieRoot.of(List.of(new byte[] {1}), List.of(new byte[0])))
        .hasMessageContaining("empty value");
  }
}
