package io.peerflow.eth;

import io.peerflow.chain.Hash;
import io.peerflow.chain.source.ChainSource;
import io.peerflow.eth.wire.PartialReceipts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Answers an eth/70 GetReceipts from a {@link ChainSource}: whole receipt lists while the answer is
 * under the soft limit, and a block whose receipts do not fit the message limit cut short with
 * {@code lastBlockIncomplete}, for the peer to ask for the rest. Stateless; thread-safe as the
 * source is.
 */
final class ReceiptsServing70 {

  /**
   * go-ethereum's {@code maxPacketSize}: the largest message clients commonly accept (geth refuses
   * eth messages above 10 MiB), so no answer of ours may pass it, whatever one block's receipts
   * weigh; EIP-7975 exists for blocks above it.
   */
  static final long MAX_PACKET_SIZE = 10 * 1024 * 1024;

  /** Room for the answer's own list headers, request id and flag around the receipt lists. */
  static final long ENVELOPE = 32;

  /** An encoded answer and the number of receipt lists (whole or cut) it carries. */
  record Reply(byte[] payload, int lists) {}

  private ReceiptsServing70() {}

  static Reply answer(ChainSource src, PartialReceipts.Request q) {
    List<byte[]> out = new ArrayList<>();
    long bytes = 0;
    boolean incomplete = false;
    if (src != null) {
      List<Hash> hashes = q.hashes();
      for (int i = 0; i < hashes.size(); i++) {
        if (bytes >= SourceServing.SOFT_RESPONSE_LIMIT
            || out.size() >= SourceServing.MAX_BODIES_SERVE) {
          break;
        }
        Optional<byte[]> stored = src.receipts(hashes.get(i));
        if (stored.isEmpty()) {
          // The index of the first block's receipts refers to the first hash: an unknown block
          // ends the answer rather than being skipped, as go-ethereum does.
          break;
        }
        PartialReceipts.Cut cut =
            PartialReceipts.cut(
                stored.get(), i == 0 ? q.firstIndex() : 0, MAX_PACKET_SIZE - ENVELOPE - bytes);
        if (cut == null) {
          break;
        }
        out.add(cut.list());
        bytes += cut.list().length;
        if (cut.incomplete()) {
          incomplete = true;
          break;
        }
      }
    }
    return new Reply(PartialReceipts.encodeAnswer(q.id(), incomplete, out), out.size());
  }
}
