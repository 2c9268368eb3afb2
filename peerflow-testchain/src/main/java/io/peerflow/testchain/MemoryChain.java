package io.peerflow.testchain;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.Block;
import io.peerflow.chain.block.BlockBody;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.block.BlockReceipts;
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

/**
 * A chain held in memory, served as a {@link ChainSource}: either generated (post-Prague blocks
 * with consistent roots, on a genesis of its own) or a run of given blocks, which need not start at
 * genesis.
 *
 * <p>Immutable once built, so safe to read from any thread, as serving nodes do.
 */
public final class MemoryChain implements ChainSource {

  private final ChainConfig config;
  private final List<Block> blocks = new ArrayList<>();
  private final List<BlockReceipts> receipts;
  private final Map<Hash, Integer> index = new HashMap<>();
  private final long first;

  private MemoryChain(ChainConfig config, List<Block> blocks, List<BlockReceipts> receipts) {
    this.config = config;
    this.first = blocks.isEmpty() ? 0 : blocks.get(0).header().number();
    for (Block b : blocks) {
      index.put(b.header().hash(), this.blocks.size());
      this.blocks.add(b);
    }
    if (receipts != null && receipts.size() != blocks.size()) {
      throw new IllegalArgumentException(
          receipts.size() + " receipt lists for " + blocks.size() + " blocks");
    }
    this.receipts = receipts == null ? null : List.copyOf(receipts);
  }

  /**
   * Consecutive {@code blocks} with their {@code receipts} (one list a block, or null when the
   * chain has none), on no chain configuration of its own.
   */
  public static MemoryChain of(List<Block> blocks, List<BlockReceipts> receipts) {
    return new MemoryChain(null, blocks, receipts);
  }

  /**
   * Consecutive {@code blocks} with their {@code receipts} on the chain {@code config} describes.
   */
  public static MemoryChain of(
      ChainConfig config, List<Block> blocks, List<BlockReceipts> receipts) {
    return new MemoryChain(config, blocks, receipts);
  }

  /**
   * A post-Prague chain of {@code n} blocks after genesis, each with {@code txs} transactions of
   * {@code txBytes} calldata, on network {@code networkId}; the same arguments give the same chain.
   */
  public static MemoryChain generate(long networkId, int n, int txs, int txBytes) {
    String genesis =
        "{\"config\":{\"chainId\":"
            + networkId
            + ",\"londonBlock\":0,\"shanghaiTime\":0,"
            + "\"cancunTime\":0,\"pragueTime\":0},\"gasLimit\":\"0x2255100\","
            + "\"difficulty\":\"0x0\",\"timestamp\":\"0x10\"}";
    ChainConfig config = GenesisFile.parse(genesis, "test" + networkId);
    BlockHeader g = config.genesisHeader().orElseThrow();
    List<Block> blocks = new ArrayList<>();
    List<BlockReceipts> receipts = new ArrayList<>();
    blocks.add(new Block(g, BlockBody.empty(true)));
    receipts.add(new BlockReceipts(List.of()));
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
      blocks.add(new Block(h, body));
      receipts.add(br);
      parent = h;
    }
    return new MemoryChain(config, blocks, receipts);
  }

  /** The chain's configuration; only generated chains have one. */
  public ChainConfig config() {
    if (config == null) {
      throw new IllegalStateException("a chain of given blocks has no configuration");
    }
    return config;
  }

  /** The number of the first block held. */
  public long first() {
    return first;
  }

  /** The number of the last block held, or {@code first() - 1} when empty. */
  public long last() {
    return first + blocks.size() - 1;
  }

  /** Block {@code number}; it must be held. */
  public Block block(long number) {
    return blocks.get(position(number));
  }

  /** The receipts of block {@code number}; it must be held, and the chain have receipts. */
  public BlockReceipts blockReceipts(long number) {
    if (receipts == null) {
      throw new IllegalStateException("this chain holds no receipts");
    }
    return receipts.get(position(number));
  }

  /** Whether the chain holds receipts at all. */
  public boolean hasReceipts() {
    return receipts != null;
  }

  private int position(long number) {
    if (number < first || number > last()) {
      throw new IndexOutOfBoundsException("block " + number + " not in " + first + ".." + last());
    }
    return (int) (number - first);
  }

  /** Whether block {@code number} is held. */
  public boolean holds(long number) {
    return number >= first && number <= last();
  }

  /** The number of the block with this hash, if held. */
  @Override
  public OptionalLong number(Hash hash) {
    Integer i = index.get(hash);
    return i == null ? OptionalLong.empty() : OptionalLong.of(first + i);
  }

  @Override
  public BlockHeader head() {
    return blocks.get(blocks.size() - 1).header();
  }

  @Override
  public long earliest() {
    return first;
  }

  @Override
  public Optional<byte[]> header(long number) {
    return holds(number) ? Optional.of(block(number).header().rlp()) : Optional.empty();
  }

  @Override
  public Optional<byte[]> body(Hash hash) {
    OptionalLong n = number(hash);
    return n.isEmpty() ? Optional.empty() : Optional.of(block(n.getAsLong()).body().rlp());
  }

  @Override
  public Optional<byte[]> receipts(Hash hash) {
    OptionalLong n = number(hash);
    return n.isEmpty() || receipts == null
        ? Optional.empty()
        : Optional.of(blockReceipts(n.getAsLong()).rlp());
  }
}
