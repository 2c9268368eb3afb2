package io.peerflow.chain.block;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.peerflow.chain.Hash;
import io.peerflow.rlp.RlpException;
import io.peerflow.testkit.FuzzCorpus;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@link BlockBody#decode}, which reads the bodies peers send: a body is decoded or refused
 * with an {@link RlpException}; a decoded body encodes to the bytes it came from, and matches the
 * header its own roots describe (computing them throws nothing).
 */
class BlockBodyFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void decodesAnyBodyOrRefusesIt(byte[] rlp) {
    BlockBody body;
    try {
      body = BlockBody.decode(rlp);
    } catch (RlpException refused) {
      return;
    }
    assertThat(body.rlp()).isEqualTo(rlp);
    assertThat(BlockBody.decode(body.rlp())).isEqualTo(body);
    assertThat(body.mismatch(headerFor(body))).isEmpty();
  }

  @Test
  void committedCorpusHoldsTheSeeds() {
    FuzzCorpus.checkSeeds(BlockBodyFuzzTest.class, "decodesAnyBodyOrRefusesIt", seeds());
  }

  /** A header committing to exactly this body. */
  static BlockHeader headerFor(BlockBody body) {
    BlockHeader.Builder h =
        BlockHeader.builder()
            .stateRoot(Hash.ZERO)
            .ommersHash(body.ommersHash())
            .transactionsRoot(body.transactionsRoot());
    if (body.withdrawals() != null) {
      h.baseFee(BigInteger.ONE).withdrawalsRoot(body.withdrawalsRoot());
    }
    return h.build();
  }

  static Map<String, byte[]> seeds() {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    ChainSamples.gennetBlocksByTransactionType()
        .forEach((type, b) -> seeds.put("gennet-with-type-" + type, b.body().rlp()));
    byte[] address = new byte[20];
    address[0] = 0x11;
    BlockHeader ommer = ChainSamples.mainnetHeaders().get("homestead");
    seeds.put(
        "withdrawals-and-an-ommer",
        new BlockBody(
                List.of(),
                List.of(ommer),
                List.of(new Withdrawal(1, 2, address, 3), new Withdrawal(4, 5, address, 6)))
            .rlp());
    seeds.put("empty-pre-shanghai", BlockBody.empty(false).rlp());
    seeds.put("empty-shanghai", BlockBody.empty(true).rlp());
    return seeds;
  }
}
