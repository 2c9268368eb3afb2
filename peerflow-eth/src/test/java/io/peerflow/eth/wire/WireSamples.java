package io.peerflow.eth.wire;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockBody;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.block.BlockReceipts;
import io.peerflow.chain.block.Log;
import io.peerflow.chain.block.Receipt;
import io.peerflow.chain.block.Transaction;
import io.peerflow.chain.block.Withdrawal;
import io.peerflow.rlp.RlpWriter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Consistent chain data for the wire fuzz tests' seeds: a few post-Prague blocks whose headers
 * commit to their bodies (legacy and typed transactions, withdrawals) and receipts (with logs).
 */
final class WireSamples {

  static final int BLOCKS = 3;

  final List<BlockHeader> headers = new ArrayList<>();
  final List<BlockBody> bodies = new ArrayList<>();
  final List<BlockReceipts> receipts = new ArrayList<>();

  WireSamples() {
    Hash parent = Hash.ZERO;
    for (int b = 1; b <= BLOCKS; b++) {
      List<Transaction> txs = new ArrayList<>();
      List<Receipt> rs = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        byte[] payload =
            new RlpWriter()
                .startList()
                .writeLong(b)
                .writeLong(t)
                .writeBytes(new byte[] {(byte) b, (byte) t})
                .endList()
                .toByteArray();
        byte[] typed = new byte[payload.length + 1];
        typed[0] = 2;
        System.arraycopy(payload, 0, typed, 1, payload.length);
        txs.add(Transaction.of(t == 0 ? typed : payload));
        byte[] address = new byte[20];
        address[0] = (byte) t;
        Log log = new Log(address, List.of(Hash.of(new byte[32])), new byte[] {(byte) b});
        rs.add(Receipt.withStatus(t == 0 ? 2 : 0, true, 21_000L * (t + 1), List.of(log)));
      }
      BlockBody body =
          new BlockBody(txs, List.of(), List.of(new Withdrawal(b, b, new byte[20], 1000 + b)));
      BlockReceipts br = new BlockReceipts(rs);
      BlockHeader h =
          BlockHeader.builder()
              .parentHash(parent)
              .number(b)
              .timestamp(1_700_000_000L + 12L * b)
              .gasLimit(36_000_000)
              .gasUsed(42_000)
              .stateRoot(Hash.ZERO)
              .transactionsRoot(body.transactionsRoot())
              .receiptsRoot(br.root())
              .logsBloom(br.bloom())
              .baseFee(BigInteger.TEN)
              .withdrawalsRoot(body.withdrawalsRoot())
              .blobGasUsed(0L)
              .excessBlobGas(0L)
              .parentBeaconRoot(Hash.ZERO)
              .requestsHash(Hash.ZERO)
              .build();
      headers.add(h);
      bodies.add(body);
      receipts.add(br);
      parent = h.hash();
    }
  }

  List<byte[]> headerRlps() {
    return headers.stream().map(BlockHeader::rlp).toList();
  }

  List<byte[]> bodyRlps() {
    return bodies.stream().map(BlockBody::rlp).toList();
  }
}
