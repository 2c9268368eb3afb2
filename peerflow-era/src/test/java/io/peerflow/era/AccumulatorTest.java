package io.peerflow.era;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerflow.chain.Hash;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.BigRange;
import org.junit.jupiter.api.Test;

class AccumulatorTest {

  @Test
  void anEmptyListIsTheZeroTreeOfDepthThirteenWithLengthZeroMixedIn() {
    // hash_tree_root(List[HeaderRecord, 8192]([])) = sha256(zero_hashes[13] ++ uint256(0)).
    java.security.MessageDigest sha = Accumulator.sha256();
    byte[] z = new byte[32];
    for (int i = 0; i < 13; i++) {
      sha.update(z);
      sha.update(z);
      z = sha.digest();
    }
    sha.update(z);
    sha.update(new byte[32]);
    assertThat(Accumulator.root(List.of(), List.of())).isEqualTo(Hash.of(sha.digest()));
  }

  @Test
  void moreThan8192RecordsOrUnequalListsAreRefused() {
    assertThatThrownBy(() -> Accumulator.root(List.of(Hash.ZERO), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Property(tries = 200)
  void difficultiesRoundTripThroughTheirLittleEndianForm(
      @ForAll
          @BigRange(
              min = "0",
              max =
                  "115792089237316195423570985008687907853269984665640564039457584007913129639935")
          BigInteger v) {
    assertThat(Accumulator.fromLittleEndian(Accumulator.uint256LittleEndian(v))).isEqualTo(v);
  }
}
