package io.peerflow.eth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.Block;
import io.peerflow.chain.block.BlockBody;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.block.BlockReceipts;
import io.peerflow.chain.block.Log;
import io.peerflow.chain.block.Receipt;
import io.peerflow.chain.block.Transaction;
import io.peerflow.chain.block.Withdrawal;
import io.peerflow.chain.response.ReceiptsResponse;
import io.peerflow.rlp.RlpWriter;
import io.peerflow.rlpx.NodeKey;
import io.peerflow.testchain.MemoryChain;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * eth/70's partial receipt lists end to end between two nodes: a block whose receipts pass the 10
 * MiB message limit is cut by the server and continued by the client until whole, and a cut list
 * that breaks EIP-7975's bounds fails the request with the reason.
 */
class ReceiptsRequest70Test {

  static final int MIB = 1024 * 1024;

  final List<EthNode> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(EthNode::close);
  }

  @Test
  void aBlockWhoseReceiptsPassTheMessageLimitArrivesWholeAcrossSeveralAnswers() {
    // Four receipts of 4 MiB of logs each: 16 MiB, cut at 10 MiB twice over.
    MemoryChain chain = chainWithLogs(4, 4 * MIB, 40_000_000L, 200_000_000L);
    EthPeer peer = connect(chain);
    assertThat(peer.version()).isEqualTo(70);
    Hash big = chain.block(1).header().hash();
    Hash next = chain.block(2).header().hash();
    ReceiptsResponse r =
        peer.requestReceipts(List.of(big, next)).orTimeout(60, TimeUnit.SECONDS).join();
    // The block after the cut one is left for the caller to ask again, like any short answer.
    assertThat(r.receipts()).hasSize(1);
    assertThat(r.receipts().get(0)).isEqualTo(chain.blockReceipts(1));
    assertThat(r.receipts().get(0).mismatch(chain.block(1).header())).isEmpty();
    ReceiptsResponse rest =
        peer.requestReceipts(List.of(next)).orTimeout(60, TimeUnit.SECONDS).join();
    assertThat(rest.receipts()).containsExactly(chain.blockReceipts(2));
  }

  @Test
  void blocksThatFitComeWholeInOneAnswer() {
    MemoryChain chain = chainWithLogs(3, 1000, 1_000_000L, 30_000_000L);
    EthPeer peer = connect(chain);
    ReceiptsResponse r =
        peer.requestReceipts(
                List.of(chain.block(1).header().hash(), chain.block(2).header().hash()))
            .orTimeout(30, TimeUnit.SECONDS)
            .join();
    assertThat(r.receipts()).containsExactly(chain.blockReceipts(1), chain.blockReceipts(2));
  }

  @Test
  void aCutReceiptWithMoreLogsThanItsTransactionsGasLimitPaysForFailsTheRequest() {
    // 4 MiB of logs under a gas limit of 1,000,000 (125,000 bytes at 8 gas a byte).
    MemoryChain chain = chainWithLogs(4, 4 * MIB, 1_000_000L, 200_000_000L);
    EthPeer peer = connect(chain);
    assertThatThrownBy(
            () ->
                peer.requestReceipts(List.of(chain.block(1).header().hash()))
                    .orTimeout(60, TimeUnit.SECONDS)
                    .join())
        .hasMessageContaining("sent receipt 0 of block #1")
        .hasMessageContaining("more than its transaction's gas limit 1000000 pays for");
  }

  @Test
  void aCutListWithMoreLogsThanTheBlocksGasLimitPaysForFailsTheRequest() {
    // Each receipt is within its transaction's limit, but two of them are past the block's.
    MemoryChain chain = chainWithLogs(4, 4 * MIB, 40_000_000L, 60_000_000L);
    EthPeer peer = connect(chain);
    assertThatThrownBy(
            () ->
                peer.requestReceipts(List.of(chain.block(1).header().hash()))
                    .orTimeout(60, TimeUnit.SECONDS)
                    .join())
        .hasMessageContaining("bytes of logs for block #1")
        .hasMessageContaining("more than its gas limit 60000000 pays for");
  }

  EthPeer connect(MemoryChain chain) {
    EthNode server =
        EthNode.start(
            EthNodeConfig.builder(NodeKey.generate(), chain.config())
                .source(chain)
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .build());
    nodes.add(server);
    EthNode client =
        EthNode.start(EthNodeConfig.builder(NodeKey.generate(), chain.config()).build());
    nodes.add(client);
    return client.dial(server.enode().orElseThrow()).orTimeout(10, TimeUnit.SECONDS).join();
  }

  /**
   * A chain of two blocks after genesis, each with {@code txs} EIP-1559 transactions of gas limit
   * {@code txGas}, each logging {@code logBytes} bytes, under a block gas limit of {@code
   * blockGas}; roots consistent, so only EIP-7975's bounds can find fault with it.
   */
  static MemoryChain chainWithLogs(int txs, int logBytes, long txGas, long blockGas) {
    MemoryChain base = MemoryChain.generate(7070, 0, 0, 0);
    List<Block> blocks = new ArrayList<>(List.of(base.block(0)));
    List<BlockReceipts> receipts = new ArrayList<>(List.of(base.blockReceipts(0)));
    BlockHeader g = base.block(0).header();
    BlockHeader parent = g;
    for (int b = 1; b <= 2; b++) {
      List<Transaction> list = new ArrayList<>();
      List<Receipt> rs = new ArrayList<>();
      long gas = 0;
      for (int t = 0; t < txs; t++) {
        byte[] payload =
            new RlpWriter()
                .startList()
                .writeLong(7070)
                .writeLong(b * 100L + t)
                .writeLong(1)
                .writeLong(10)
                .writeLong(txGas)
                .writeBytes(new byte[20])
                .writeLong(0)
                .writeBytes(new byte[0])
                .writeEmptyList()
                .writeLong(0)
                .writeLong(1)
                .writeLong(1)
                .endList()
                .toByteArray();
        byte[] typed = new byte[payload.length + 1];
        typed[0] = 2;
        System.arraycopy(payload, 0, typed, 1, payload.length);
        list.add(Transaction.of(typed));
        gas += 21_000;
        byte[] data = new byte[logBytes];
        data[0] = (byte) b;
        data[data.length - 1] = (byte) t;
        rs.add(Receipt.withStatus(2, true, gas, List.of(new Log(new byte[20], List.of(), data))));
      }
      BlockReceipts br = new BlockReceipts(rs);
      BlockBody body =
          new BlockBody(list, List.of(), List.of(new Withdrawal(b, b, new byte[20], 1000 + b)));
      BlockHeader h =
          BlockHeader.builder()
              .parentHash(parent.hash())
              .number(b)
              .timestamp(parent.timestamp() + 12)
              .gasLimit(blockGas)
              .gasUsed(gas)
              .stateRoot(Hash.ZERO)
              .transactionsRoot(body.transactionsRoot())
              .receiptsRoot(br.root())
              .logsBloom(br.bloom())
              .baseFee(BigInteger.TEN)
              .withdrawalsRoot(body.withdrawalsRoot())
              .blobGasUsed(0L)
              .excessBlobGas(0L)
              .parentBeaconRoot(Hash.ZERO)
              .requestsHash(g.requestsHash())
              .build();
      blocks.add(new Block(h, body));
      receipts.add(br);
      parent = h;
    }
    return MemoryChain.of(base.config(), blocks, receipts);
  }
}
