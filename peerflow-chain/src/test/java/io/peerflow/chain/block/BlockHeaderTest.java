package io.peerflow.chain.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerflow.chain.Hash;
import io.peerflow.chain.config.ChainConfig;
import io.peerflow.rlp.RlpException;
import io.peerflow.rlp.RlpReader;
import io.peerflow.rlp.RlpWriter;
import org.junit.jupiter.api.Test;

class BlockHeaderTest {

  /** Hoodi's genesis (a Cancun header, 20 fields) with {@code extra} 32-byte fields appended. */
  static byte[] withExtraFields(int extra) {
    RlpReader fields =
        RlpReader.single(ChainConfig.HOODI.genesisHeader().orElseThrow().rlp()).readList();
    RlpWriter w = new RlpWriter().startList();
    while (fields.hasNext()) {
      w.writeRaw(fields.readRaw());
    }
    for (int i = 0; i < extra; i++) {
      w.writeBytes(Hash.ZERO.toArray());
    }
    return w.endList().toByteArray();
  }

  @Test
  void aPragueHeaderDecodesAndKeepsItsHash() {
    BlockHeader prague = BlockHeader.decode(withExtraFields(1));
    assertThat(prague.requestsHash()).isEqualTo(Hash.ZERO);
    assertThat(BlockHeader.decode(prague.rlp()).hash()).isEqualTo(prague.hash());
  }

  @Test
  void anAmsterdamHeaderIsRefusedByNameNotAsGarbage() {
    assertThatThrownBy(() -> BlockHeader.decode(withExtraFields(3)))
        .isInstanceOf(RlpException.class)
        .hasMessageContaining("a header of 23 fields is from a fork after Prague (Amsterdam");
    assertThatThrownBy(() -> BlockHeader.decode(withExtraFields(5)))
        .isInstanceOf(RlpException.class)
        .hasMessageContaining("a header has 15 to 21 fields, found 25");
  }
}
