package io.peerflow.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.block.BlockReceipts;
import io.peerflow.chain.response.BodiesResponse;
import io.peerflow.chain.response.ReceiptsResponse;
import io.peerflow.chain.trie.TrieRoot;
import io.peerflow.peers.MessageKind;
import io.peerflow.store.ChainStore;
import io.peerflow.store.Part;
import io.peerflow.store.WriteBatch;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReceiptsPartTest {

  final ReceiptsPart part = new ReceiptsPart();

  static BlockHeader header(Hash receiptsRoot) {
    return BlockHeader.builder()
        .parentHash(Hash.ZERO)
        .stateRoot(Hash.ZERO)
        .number(3)
        .gasLimit(30_000_000)
        .receiptsRoot(receiptsRoot)
        .build();
  }

  @Test
  void isTheReceiptsPartFetchedAsReceipts() {
    assertThat(part.part()).isEqualTo(Part.RECEIPTS);
    assertThat(part.kind()).isEqualTo(MessageKind.RECEIPTS);
  }

  @Test
  void aHeaderWithTheEmptyReceiptsRootHasNoReceipts() {
    assertThat(part.empty(header(TrieRoot.EMPTY))).isTrue();
    assertThat(part.empty(header(Hash.of(new byte[32])))).isFalse();
  }

  @Test
  void readsReceiptsAnswersOnly() {
    BlockReceipts none = new BlockReceipts(List.of());
    assertThat(part.items(new ReceiptsResponse(List.of(none)))).contains(List.of(none));
    assertThat(part.items(new BodiesResponse(List.of()))).isEmpty();
  }

  @Test
  void theEmptyReceiptsItStoresMatchTheirHeader(@TempDir Path dir) {
    BlockHeader h = header(TrieRoot.EMPTY);
    try (ChainStore store = ChainStore.open(dir)) {
      assertThat(part.stored(store, 3)).isFalse();
      try (WriteBatch b = store.batch()) {
        b.putHeader(3, h.hash(), h.rlp());
        part.putEmpty(b, h);
        b.commit();
      }
      assertThat(part.stored(store, 3)).isTrue();
      assertThat(part.mismatch(BlockReceipts.decode(store.receipts(3).orElseThrow()), h)).isEmpty();
    }
  }
}
