package io.peerflow.eth.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockReceipts;
import io.peerflow.chain.block.Log;
import io.peerflow.chain.block.Receipt;
import io.peerflow.rlp.RlpException;
import io.peerflow.rlp.RlpWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartialReceiptsTest {

  static final Hash H = Hash.fromHex("0x" + "11".repeat(32));

  static BlockReceipts receipts(int n, int logBytes) {
    List<Receipt> rs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rs.add(
          Receipt.withStatus(
              2,
              true,
              21_000L * (i + 1),
              List.of(new Log(new byte[20], List.of(), new byte[logBytes]))));
    }
    return new BlockReceipts(rs);
  }

  @Test
  void requestsRoundTripWithTheirFirstReceiptIndexAndUint64Ids() {
    var q = new PartialReceipts.Request(-2L, 7, List.of(H, H));
    assertThat(PartialReceipts.Request.decode(q.encode(), 1024)).isEqualTo(q);
    assertThat(EthMessages.requestId(q.encode())).isEqualTo(-2L);
  }

  @Test
  void answersCarryTheIncompleteFlagAndReceiptsInEth69Form() {
    BlockReceipts a = receipts(2, 10);
    BlockReceipts b = receipts(1, 3);
    byte[] payload = PartialReceipts.encodeAnswer(9, true, List.of(a.rlp(), b.rlp()));
    PartialReceipts.Answer answer = PartialReceipts.Answer.decode(payload, 2);
    assertThat(answer.id()).isEqualTo(9);
    assertThat(answer.lastBlockIncomplete()).isTrue();
    assertThat(answer.lists()).containsExactly(a, b);
    assertThatThrownBy(() -> PartialReceipts.Answer.decode(payload, 1))
        .isInstanceOf(RlpException.class)
        .hasMessageContaining("more than the 1 receipt lists asked for");
  }

  @Test
  void anEmptyAnswerMarkedIncompleteOrAFlagAboveOneIsRefused() {
    assertThatThrownBy(
            () ->
                PartialReceipts.Answer.decode(PartialReceipts.encodeAnswer(1, true, List.of()), 4))
        .isInstanceOf(RlpException.class)
        .hasMessageContaining("empty receipts answer marked incomplete");
    byte[] badFlag =
        new RlpWriter()
            .startList()
            .writeLong(1)
            .writeLong(2)
            .writeEmptyList()
            .endList()
            .toByteArray();
    assertThatThrownBy(() -> PartialReceipts.Answer.decode(badFlag, 4))
        .isInstanceOf(RlpException.class)
        .hasMessageContaining("lastBlockIncomplete must be 0 or 1");
  }

  @Test
  void aCutKeepsWhatFitsFromTheFirstIndexOnAndSaysWhetherReceiptsWereLeftOut() {
    BlockReceipts all = receipts(5, 1000);
    PartialReceipts.Cut whole = PartialReceipts.cut(all.rlp(), 0, 1 << 20);
    assertThat(whole.incomplete()).isFalse();
    assertThat(BlockReceipts.decode(whole.list())).isEqualTo(all);

    PartialReceipts.Cut two = PartialReceipts.cut(all.rlp(), 1, 2200);
    assertThat(two.incomplete()).isTrue();
    assertThat(BlockReceipts.decode(two.list()).receipts())
        .containsExactlyElementsOf(all.receipts().subList(1, 3));

    PartialReceipts.Cut tail = PartialReceipts.cut(all.rlp(), 3, 1 << 20);
    assertThat(tail.incomplete()).isFalse();
    assertThat(BlockReceipts.decode(tail.list()).receipts())
        .containsExactlyElementsOf(all.receipts().subList(3, 5));

    assertThat(PartialReceipts.cut(all.rlp(), 0, 500)).isNull();
  }
}
