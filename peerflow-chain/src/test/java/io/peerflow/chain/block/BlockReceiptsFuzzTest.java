package io.peerflow.chain.block;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.peerflow.chain.Hash;
import io.peerflow.rlp.RlpException;
import io.peerflow.rlp.RlpReader;
import io.peerflow.rlp.RlpWriter;
import io.peerflow.testkit.FuzzCorpus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the receipt list decoders: eth/69's form (also what the store keeps) and eth/68's (with
 * blooms, typed receipts as strings). Each list is decoded or refused with an {@link RlpException};
 * a decoded list encodes in the same form to the bytes it came from, and matches the header its own
 * root and bloom describe.
 */
class BlockReceiptsFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void decodesAnyEth69ReceiptsOrRefusesThem(byte[] rlp) {
    BlockReceipts receipts;
    try {
      receipts = BlockReceipts.decode(rlp);
    } catch (RlpException refused) {
      return;
    }
    assertThat(receipts.rlp()).isEqualTo(rlp);
    assertThat(receipts.mismatch(headerFor(receipts))).isEmpty();
  }

  @FuzzTest(maxDuration = "60s")
  void decodesAnyEth68ReceiptsOrRefusesThem(byte[] rlp) {
    BlockReceipts receipts;
    try {
      RlpReader in = new RlpReader(rlp);
      receipts = BlockReceipts.readEth68(in);
      in.requireEnd();
    } catch (RlpException refused) {
      return;
    }
    RlpWriter w = new RlpWriter();
    receipts.writeEth68(w);
    assertThat(w.toByteArray()).isEqualTo(rlp);
    assertThat(receipts.mismatch(headerFor(receipts))).isEmpty();
  }

  @Test
  void committedCorporaHoldTheSeeds() {
    Map<String, byte[]> eth69 = new LinkedHashMap<>();
    Map<String, byte[]> eth68 = new LinkedHashMap<>();
    BlockReceipts all = ChainSamples.receipts();
    eth69.put("every-kind", all.rlp());
    eth68.put("every-kind", eth68(all));
    for (Receipt r : all.receipts()) {
      BlockReceipts one = new BlockReceipts(List.of(r));
      eth69.put("type-" + r.type() + "-" + r.cumulativeGasUsed(), one.rlp());
      eth68.put("type-" + r.type() + "-" + r.cumulativeGasUsed(), eth68(one));
    }
    eth69.put("empty", new BlockReceipts(List.of()).rlp());
    eth68.put("empty", eth68(new BlockReceipts(List.of())));
    // A legacy receipt dressed as an envelope of type 0x00, which only lists may stand for.
    byte[] legacy = all.receipts().get(1).consensusEncoding();
    byte[] typeZero = new byte[legacy.length + 1];
    System.arraycopy(legacy, 0, typeZero, 1, legacy.length);
    eth68.put(
        "envelope-of-type-0",
        new RlpWriter().startList().writeBytes(typeZero).endList().toByteArray());
    FuzzCorpus.checkSeeds(
        BlockReceiptsFuzzTest.class, "decodesAnyEth69ReceiptsOrRefusesThem", eth69);
    FuzzCorpus.checkSeeds(
        BlockReceiptsFuzzTest.class, "decodesAnyEth68ReceiptsOrRefusesThem", eth68);
  }

  private static byte[] eth68(BlockReceipts receipts) {
    RlpWriter w = new RlpWriter();
    receipts.writeEth68(w);
    return w.toByteArray();
  }

  /** A header committing to exactly these receipts. */
  private static BlockHeader headerFor(BlockReceipts receipts) {
    return BlockHeader.builder()
        .stateRoot(Hash.ZERO)
        .receiptsRoot(receipts.root())
        .logsBloom(receipts.bloom())
        .build();
  }
}
