package io.peerflow.eth;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.Block;
import io.peerflow.chain.block.BlockBody;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.block.BlockReceipts;
import io.peerflow.chain.block.Bloom;
import io.peerflow.chain.block.Log;
import io.peerflow.chain.block.Receipt;
import io.peerflow.chain.block.Transaction;
import io.peerflow.chain.block.Withdrawal;
import io.peerflow.chain.config.ChainConfig;
import io.peerflow.chain.config.GenesisFile;
import io.peerflow.chain.source.ChainSource;
import io.peerflow.rlp.RlpWriter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** A chain held in memory: test data with consistent roots, served as a {@link ChainSource}. */
final class MemoryChain implements ChainSource {

  final ChainConfig config;
  final List<Block> blocks = new ArrayList<>();
  final List<BlockReceipts> receipts = new ArrayList<>();
  final Map<Hash, Integer> index = new HashMap<>();

  MemoryChain(ChainConfig config) {
    this.config = config;
  }

  /**
   * A post-Prague chain of {@code n} blocks after genesis, each with {@code txs} transactions of
   * {@code txBytes} calldata.
   */
  static MemoryChain generate(long networkId, int n, int txs, int txBytes) {
    String genesis =
        "{\"config\":{\"chainId\":"
            + networkId
            + ",\"londonBlock\":0,\"shanghaiTime\":0,"
            + "\"cancunTime\":0,\"pragueTime\":0},\"gasLimit\":\"0x2255100\",\"difficulty\":\"0x0\",\"timestamp\":\"0x10\"}";
    ChainConfig config = GenesisFile.parse(genesis, "test" + networkId);
    MemoryChain c = new MemoryChain(config);
    BlockHeader g = config.genesisHeader().orElseThrow();
    c.add(new Block(g, BlockBody.empty(true)), new BlockReceipts(List.of()));
    BlockHeader parent = g;
    for (int b = 1; b <= n; b++) {
      List<Transaction> list = new ArrayList<>();
      List<Receipt> rs = new ArrayList<>();
      long gas = 0;
      for (int t = 0; t < txs; t++) {
        byte[] data = new byte[txBytes];
        data[0] = (byte) b;
        data[data.length - 1] = (byte) t;
        byte[] payload =
            new RlpWriter()
                .startList()
                .writeLong(b)
                .writeLong(t)
                .writeBytes(data)
                .endList()
                .toByteArray();
        byte[] typed = new byte[payload.length + 1];
        typed[0] = 2;
        System.arraycopy(payload, 0, typed, 1, payload.length);
        list.add(Transaction.of(t % 2 == 0 ? typed : payload));
        gas += 21_000;
        byte[] addr = new byte[20];
        addr[0] = (byte) t;
        rs.add(
            Receipt.withStatus(
                t % 2 == 0 ? 2 : 0,
                true,
                gas,
                List.of(new Log(addr, List.of(Hash.of(new byte[32])), new byte[] {(byte) b}))));
      }
      BlockReceipts br = new BlockReceipts(rs);
      BlockBody body =
          new BlockBody(list, List.of(), List.of(new Withdrawal(b, b, new byte[20], 1000 + b)));
      BlockHeader h =
          BlockHeader.builder()
              .parentHash(parent.hash())
              .number(b)
              .timestamp(parent.timestamp() + 12)
              .gasLimit(36_000_000)
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
      c.add(new Block(h, body), br);
      parent = h;
    }
    return c;
  }

  void add(Block b, BlockReceipts r) {
    index.put(b.header().hash(), blocks.size());
    blocks.add(b);
    receipts.add(r);
  }

  @Override
  public BlockHeader head() {
    return blocks.get(blocks.size() - 1).header();
  }

  @Override
  public long earliest() {
    return 0;
  }

  @Override
  public Optional<byte[]> header(long number) {
    return number < 0 || number >= blocks.size()
        ? Optional.empty()
        : Optional.of(blocks.get((int) number).header().rlp());
  }

  @Override
  public OptionalLong number(Hash hash) {
    Integer i = index.get(hash);
    return i == null ? OptionalLong.empty() : OptionalLong.of(i);
  }

  @Override
  public Optional<byte[]> body(Hash hash) {
    Integer i = index.get(hash);
    return i == null ? Optional.empty() : Optional.of(blocks.get(i).body().rlp());
  }

  @Override
  public Optional<byte[]> receipts(Hash hash) {
    Integer i = index.get(hash);
    return i == null ? Optional.empty() : Optional.of(receipts.get(i).rlp());
  }

  static byte[] unused() {
    return new byte[Bloom.BYTES];
  }
}
