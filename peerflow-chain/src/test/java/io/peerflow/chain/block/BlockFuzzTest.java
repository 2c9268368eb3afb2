package io.peerflow.chain.block;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.peerflow.rlp.RlpException;
import io.peerflow.testkit.FuzzCorpus;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@link Block#decode}, which reads the blocks of an exported chain file: a block is decoded
 * or refused with an {@link RlpException}, and a decoded one encodes to the bytes it came from.
 */
class BlockFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void decodesAnyBlockOrRefusesIt(byte[] rlp) {
    Block block;
    try {
      block = Block.decode(rlp);
    } catch (RlpException refused) {
      return;
    }
    assertThat(block.rlp()).isEqualTo(rlp);
  }

  @Test
  void committedCorpusHoldsTheSeeds() {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    ChainSamples.gennetBlocksByTransactionType()
        .forEach((type, b) -> seeds.put("gennet-with-type-" + type, b.rlp()));
    FuzzCorpus.checkSeeds(BlockFuzzTest.class, "decodesAnyBlockOrRefusesIt", seeds);
  }
}
