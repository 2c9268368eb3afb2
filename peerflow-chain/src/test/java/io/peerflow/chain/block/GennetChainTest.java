package io.peerflow.chain.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.chain.Hash;
import io.peerflow.rlp.RlpReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Decodes the shared 2000-block chain a third-party client produced and checks it end to end. */
class GennetChainTest {

  static final Hash HEAD =
      Hash.fromHex("0xc40495c39559bfc401574c5c3a1adf6a1a31d96be1a20411beda0edcb58897a3");
  static List<Block> blocks;

  @BeforeAll
  static void load() throws IOException {
    Path file =
        Path.of(System.getProperty("peerflow.root", "."))
            .resolve("../shared/interop/ethereumjs/gennet-2000.rlp");
    byte[] data = Files.readAllBytes(file);
    RlpReader in = new RlpReader(data);
    blocks = new ArrayList<>();
    while (in.hasNext()) {
      blocks.add(Block.read(in));
    }
  }

  @Test
  void theFileHoldsBlocksOneToTwoThousandEndingAtTheKnownHead() {
    assertThat(blocks).hasSize(2000);
    assertThat(blocks.get(0).header().number()).isEqualTo(1);
    assertThat(blocks.get(1999).header().hash()).isEqualTo(HEAD);
  }

  @Test
  void everyHeaderLinksToItsParent() {
    for (int i = 1; i < blocks.size(); i++) {
      assertThat(blocks.get(i).header().parentHash()).isEqualTo(blocks.get(i - 1).header().hash());
    }
  }

  @Test
  void everyBodyMatchesItsHeaderAndAllSixteenThousandTransactionsAreThere() {
    long txs = 0;
    for (Block b : blocks) {
      assertThat(b.body().mismatch(b.header())).isEmpty();
      txs += b.body().transactions().size();
    }
    assertThat(txs).isEqualTo(16_001);
  }

  @Test
  void reEncodingABlockGivesTheBytesItWasReadFrom() {
    for (Block b : blocks) {
      assertThat(Block.decode(b.rlp())).isEqualTo(b);
      assertThat(BlockBody.decode(b.body().rlp())).isEqualTo(b.body());
      assertThat(BlockHeader.decode(b.header().rlp()).hash()).isEqualTo(b.header().hash());
    }
  }

  @Test
  void aBodyWithOneTransactionDroppedNoLongerMatches() {
    Block b =
        blocks.stream().filter(x -> x.body().transactions().size() > 1).findFirst().orElseThrow();
    List<Transaction> fewer = b.body().transactions().subList(1, b.body().transactions().size());
    BlockBody tampered = new BlockBody(fewer, b.body().ommers(), b.body().withdrawals());
    assertThat(tampered.mismatch(b.header()))
        .hasValueSatisfying(s -> assertThat(s).contains("transactions root"));
  }
}
