package io.peerflow.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockBody;
import io.peerflow.chain.block.BlockHeader;
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

class BodiesPartTest {

  final BodiesPart part = new BodiesPart();

  static BlockHeader emptyHeader(boolean withdrawals) {
    BlockHeader.Builder b =
        BlockHeader.builder()
            .parentHash(Hash.ZERO)
            .stateRoot(Hash.ZERO)
            .number(7)
            .gasLimit(30_000_000)
            .transactionsRoot(TrieRoot.EMPTY)
            .ommersHash(BlockHeader.EMPTY_OMMERS_HASH);
    if (withdrawals) {
      b.baseFee(java.math.BigInteger.ONE).withdrawalsRoot(TrieRoot.EMPTY);
    }
    return b.build();
  }

  @Test
  void isTheBodiesPartFetchedAsBodies() {
    assertThat(part.part()).isEqualTo(Part.BODIES);
    assertThat(part.kind()).isEqualTo(MessageKind.BODIES);
  }

  @Test
  void aHeaderCommittingToNoTransactionsOmmersOrWithdrawalsHasAnEmptyBody() {
    assertThat(part.empty(emptyHeader(false))).isTrue();
    assertThat(part.empty(emptyHeader(true))).isTrue();
    BlockHeader withTransactions =
        emptyHeader(false).toBuilder().transactionsRoot(Hash.of(new byte[32])).build();
    assertThat(part.empty(withTransactions)).isFalse();
  }

  @Test
  void readsBodiesAnswersOnly() {
    BlockBody body = BlockBody.empty(false);
    assertThat(part.items(new BodiesResponse(List.of(body)))).contains(List.of(body));
    assertThat(part.items(new ReceiptsResponse(List.of()))).isEmpty();
  }

  @Test
  void theEmptyBodyItStoresMatchesItsHeader(@TempDir Path dir) {
    BlockHeader h = emptyHeader(true);
    try (ChainStore store = ChainStore.open(dir)) {
      assertThat(part.stored(store, 7)).isFalse();
      try (WriteBatch b = store.batch()) {
        b.putHeader(7, h.hash(), h.rlp());
        part.putEmpty(b, h);
        b.commit();
      }
      assertThat(part.stored(store, 7)).isTrue();
      BlockBody stored = BlockBody.decode(store.body(7).orElseThrow());
      assertThat(part.mismatch(stored, h)).isEmpty();
    }
  }
}
