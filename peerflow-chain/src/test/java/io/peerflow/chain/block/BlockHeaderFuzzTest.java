package io.peerflow.chain.block;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.peerflow.chain.Hash;
import io.peerflow.crypto.Keccak256;
import io.peerflow.rlp.RlpException;
import io.peerflow.testkit.FuzzCorpus;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@link BlockHeader#decode}, which reads headers from peers and from files: a header is
 * decoded or refused with an {@link RlpException}; a decoded header keeps the bytes it came from as
 * its encoding, and encoding its fields again gives those same bytes, so its hash is the one the
 * peer meant.
 */
class BlockHeaderFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void decodesAnyHeaderOrRefusesIt(byte[] rlp) {
    BlockHeader h;
    try {
      h = BlockHeader.decode(rlp);
    } catch (RlpException refused) {
      return;
    }
    assertThat(h.rlp()).isEqualTo(rlp);
    assertThat(h.toBuilder().build().rlp()).isEqualTo(rlp);
    assertThat(h.hash()).isEqualTo(Hash.of(Keccak256.hash(rlp)));
  }

  @Test
  void committedCorpusHoldsTheSeeds() {
    FuzzCorpus.checkSeeds(BlockHeaderFuzzTest.class, "decodesAnyHeaderOrRefusesIt", seeds());
  }

  static Map<String, byte[]> seeds() {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    ChainSamples.mainnetHeaders().forEach((fork, h) -> seeds.put("mainnet-" + fork, h.rlp()));
    // Fourteen empty strings: one field short of a Frontier header.
    seeds.put("too-few-fields", HexFormat.of().parseHex("ce" + "80".repeat(14)));
    return seeds;
  }
}
