package io.peerflow.chain.block;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.peerflow.rlp.RlpException;
import io.peerflow.rlp.RlpReader;
import io.peerflow.rlp.RlpWriter;
import io.peerflow.testkit.FuzzCorpus;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@link Transaction#of}, the check of an EIP-2718 envelope: it is accepted or refused with
 * an {@link RlpException}; an accepted one, written into a block body's transaction list as a body
 * carries it, reads back as the same transaction.
 */
class TransactionFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void acceptsAnyEnvelopeOrRefusesIt(byte[] encoding) {
    Transaction t;
    try {
      t = Transaction.of(encoding);
    } catch (RlpException refused) {
      return;
    }
    assertThat(t.encoding()).isEqualTo(encoding);
    RlpWriter w = new RlpWriter().startList();
    t.writeTo(w);
    RlpReader list = new RlpReader(w.endList().toByteArray()).readList();
    assertThat(Transaction.read(list)).isEqualTo(t);
    list.requireEnd();
  }

  @Test
  void committedCorpusHoldsTheSeeds() {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    ChainSamples.gennetBlocksByTransactionType()
        .forEach(
            (type, b) ->
                seeds.put(
                    "gennet-type-" + type,
                    b.body().transactions().stream()
                        .filter(t -> t.type() == type)
                        .findFirst()
                        .orElseThrow()
                        .encoding()));
    seeds.put("typed-without-payload", HexFormat.of().parseHex("02"));
    seeds.put("type-out-of-range", HexFormat.of().parseHex("80c0"));
    FuzzCorpus.checkSeeds(TransactionFuzzTest.class, "acceptsAnyEnvelopeOrRefusesIt", seeds);
  }
}
