package io.peerflow.eth;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.block.BlockReceipts;
import io.peerflow.eth.wire.EthMessages;
import io.peerflow.testchain.MemoryChain;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceServingTest {

  static final MemoryChain CHAIN = MemoryChain.generate(4252, 1500, 2, 100);
  final Serving serving = Serving.of(CHAIN);

  List<Long> headers(EthMessages.HeadersRequest q) {
    Serving.Answer a = serving.headers(q).join();
    assertThat(a.code()).isEqualTo(EthMessages.BLOCK_HEADERS);
    List<BlockHeader> hs = EthMessages.decodeBlockHeaders(a.payload(), 2000).items();
    assertThat(a.items()).isEqualTo(hs.size());
    return hs.stream().map(BlockHeader::number).toList();
  }

  static EthMessages.HeadersRequest byNumber(long n, long amount, long skip, boolean reverse) {
    return new EthMessages.HeadersRequest(7, null, n, amount, skip, reverse);
  }

  @Test
  void headersFollowOriginSkipAndDirectionAndStopAtTheChainsEnds() {
    assertThat(headers(byNumber(10, 5, 2, false))).containsExactly(10L, 13L, 16L, 19L, 22L);
    assertThat(headers(byNumber(1499, 10, 0, false))).containsExactly(1499L, 1500L);
    assertThat(headers(byNumber(3, 10, 1, true))).containsExactly(3L, 1L);
    Hash h100 = CHAIN.block(100).header().hash();
    assertThat(headers(new EthMessages.HeadersRequest(7, h100, 0, 3, 0, true)))
        .containsExactly(100L, 99L, 98L);
  }

  @Test
  void anUnknownOriginHashOrASkipThatOverflowsServesWhatExists() {
    Hash unknown = Hash.fromHex("0x" + "ab".repeat(32));
    assertThat(headers(new EthMessages.HeadersRequest(7, unknown, 0, 3, 0, false))).isEmpty();
    assertThat(headers(byNumber(5, 3, Long.MAX_VALUE, false))).containsExactly(5L);
    assertThat(headers(byNumber(5, 3, Long.MAX_VALUE - 1, true))).containsExactly(5L);
  }

  @Test
  void atMost1024HeadersGoInOneAnswer() {
    assertThat(headers(byNumber(0, 1400, 0, false))).hasSize(1024);
  }

  @Test
  void bodiesSkipUnknownHashesAndStopOnceTheAnswerPassesTwoMebibytes() {
    MemoryChain big = MemoryChain.generate(4253, 40, 1, 100_000);
    List<Hash> all = new ArrayList<>();
    for (int n = 1; n <= 40; n++) {
      all.add(big.block(n).header().hash());
    }
    all.add(0, Hash.fromHex("0x" + "cd".repeat(32)));
    Serving.Answer a = Serving.of(big).bodies(new EthMessages.HashesRequest(9, all)).join();
    // Each body is about 100 kB: the answer stops with the one that passes 2 MiB.
    assertThat(a.items()).isEqualTo(21);
    assertThat(EthMessages.decodeBlockBodies(a.payload(), 1024).items().get(0))
        .isEqualTo(big.block(1).body());
  }

  @Test
  void receiptsGoOutInEachVersionsForm() {
    List<Hash> hashes = List.of(CHAIN.block(5).header().hash(), CHAIN.block(6).header().hash());
    for (int version : List.of(68, 69)) {
      Serving.Answer a = serving.receipts(version, new EthMessages.HashesRequest(3, hashes)).join();
      assertThat(a.code()).isEqualTo(EthMessages.RECEIPTS);
      List<BlockReceipts> got = EthMessages.decodeReceipts(version, a.payload(), 10).items();
      assertThat(got).containsExactly(CHAIN.blockReceipts(5), CHAIN.blockReceipts(6));
    }
  }

  @Test
  void aNodeWithoutASourceAnswersEveryRequestEmpty() {
    Serving none = Serving.of(null);
    assertThat(none.headers(byNumber(0, 10, 0, false)).join().items()).isZero();
    assertThat(
            none.bodies(new EthMessages.HashesRequest(1, List.of(CHAIN.head().hash())))
                .join()
                .items())
        .isZero();
  }
}
