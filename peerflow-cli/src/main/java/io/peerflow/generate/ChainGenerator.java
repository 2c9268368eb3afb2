package io.peerflow.generate;

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
import io.peerflow.crypto.Keccak256;
import io.peerflow.rlp.RlpWriter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Generates a chain whose headers, bodies and receipts agree with each other, for local serving,
 * tests and benchmarks: signed legacy (EIP-155), access-list (EIP-2930) and fee-market (EIP-1559)
 * transactions from funded senders, receipts with logs for contract calls, withdrawals, every root
 * and bloom, base fees following EIP-1559, and Prague-era headers. The same parameters give the
 * same bytes.
 *
 * <p>State roots do not come from executing anything (there is no EVM here): each block gets a
 * pseudo-random one. Nothing a downloader checks depends on them.
 *
 * <p>Blocks stream out of {@link #blocks()} in batches whose transactions are signed in parallel,
 * so memory stays bounded whatever the length. An instance is immutable; each iterator is
 * single-threaded.
 */
public final class ChainGenerator {

  /** Senders: enough that nonces spread, few enough that the genesis allocation stays small. */
  static final int SENDERS = 64;

  /** Blocks planned and signed together: enough work per batch to keep every core busy. */
  static final int BATCH = 32;

  /** Mainnet's post-Pectra gas limit. */
  static final long GAS_LIMIT = 36_000_000L;

  /** Slot time: the timestamp step between blocks. */
  static final long SLOT_SECONDS = 12;

  /** Withdrawals per block, mainnet's maximum (MAX_WITHDRAWALS_PER_PAYLOAD). */
  static final int WITHDRAWALS = 16;

  static final long GENESIS_TIME = 1_700_000_000L;

  /**
   * What to generate.
   *
   * @param blocks blocks after genesis
   * @param txsPerBlock mean transactions per block (each block varies by up to half of it)
   * @param networkId chain and network id
   * @param seed the seed every random choice derives from
   */
  public record Params(long blocks, int txsPerBlock, long networkId, long seed) {
    public Params {
      if (blocks < 1) {
        throw new IllegalArgumentException("--blocks must be at least 1");
      }
      if (txsPerBlock < 0 || txsPerBlock > 1000) {
        throw new IllegalArgumentException("--txs must be between 0 and 1000");
      }
    }
  }

  /** A generated block with its receipts. */
  public record GeneratedBlock(Block block, BlockReceipts receipts) {}

  private final Params params;
  private final BigInteger[] keys = new BigInteger[SENDERS];
  private final byte[][] addresses = new byte[SENDERS][];
  private final String genesisJson;
  private final ChainConfig config;

  public ChainGenerator(Params params) {
    this.params = params;
    for (int i = 0; i < SENDERS; i++) {
      byte[] k = Keccak256.hash(("peerflow sender " + params.seed() + "/" + i).getBytes());
      keys[i] = new BigInteger(1, k);
      byte[] pub = TxSigner.publicKey(keys[i]);
      addresses[i] = Arrays.copyOfRange(Keccak256.hash(pub), 12, 32);
    }
    this.genesisJson = buildGenesisJson();
    this.config = GenesisFile.parse(genesisJson, "generated-" + params.networkId());
  }

  /** The chain's genesis file, in go-ethereum's format: every fork through Prague at genesis. */
  public String genesisJson() {
    return genesisJson;
  }

  /**
   * The chain's configuration, parsed from {@link #genesisJson()}: its genesis header comes from
   * there.
   */
  public ChainConfig config() {
    return config;
  }

  /** Block 0. */
  public BlockHeader genesis() {
    return config.genesisHeader().orElseThrow();
  }

  /** How many blocks {@link #blocks()} yields. */
  public long blocksToGenerate() {
    return params.blocks();
  }

  /** The address of sender {@code i}, for tests. */
  byte[] sender(int i) {
    return addresses[i].clone();
  }

  private String buildGenesisJson() {
    StringBuilder alloc = new StringBuilder();
    for (int i = 0; i < SENDERS; i++) {
      if (i > 0) {
        alloc.append(",\n    ");
      }
      alloc
          .append("\"0x")
          .append(hex(addresses[i]))
          .append("\": {\"balance\": \"0x")
          .append("c".repeat(24))
          .append("\"}");
    }
    return "{\n"
        + "  \"config\": {\n"
        + "    \"chainId\": "
        + params.networkId()
        + ",\n"
        + "    \"homesteadBlock\": 0, \"eip150Block\": 0, \"eip155Block\": 0, \"eip158Block\": 0,\n"
        + "    \"byzantiumBlock\": 0, \"constantinopleBlock\": 0, \"petersburgBlock\": 0,"
        + " \"istanbulBlock\": 0,\n"
        + "    \"berlinBlock\": 0, \"londonBlock\": 0, \"mergeNetsplitBlock\": 0,\n"
        + "    \"terminalTotalDifficulty\": 0,\n"
        + "    \"shanghaiTime\": 0, \"cancunTime\": 0, \"pragueTime\": 0,\n"
        + "    \"blobSchedule\": {\n"
        + "      \"cancun\": {\"target\": 3, \"max\": 6, \"baseFeeUpdateFraction\": 3338477},\n"
        + "      \"prague\": {\"target\": 6, \"max\": 9, \"baseFeeUpdateFraction\": 5007716}\n"
        + "    }\n"
        + "  },\n"
        + "  \"nonce\": \"0x0\",\n"
        + "  \"timestamp\": \"0x"
        + Long.toHexString(GENESIS_TIME)
        + "\",\n"
        + "  \"extraData\": \"0x"
        + hex("peerflow generated chain".getBytes())
        + "\",\n"
        + "  \"gasLimit\": \"0x"
        + Long.toHexString(GAS_LIMIT)
        + "\",\n"
        + "  \"difficulty\": \"0x0\",\n"
        + "  \"baseFeePerGas\": \"0x3b9aca00\",\n"
        + "  \"mixHash\": \"0x"
        + "00".repeat(32)
        + "\",\n"
        + "  \"coinbase\": \"0x"
        + "00".repeat(20)
        + "\",\n"
        + "  \"alloc\": {\n    "
        + alloc
        + "\n  }\n"
        + "}\n";
  }

  /** The blocks after genesis, in order. */
  public Iterator<GeneratedBlock> blocks() {
    return new Iterator<>() {
      private final long[] nonces = new long[SENDERS];
      private BlockHeader parent = genesis();
      private long next = 1;
      private final List<GeneratedBlock> ready = new ArrayList<>();
      private int readAt;

      @Override
      public boolean hasNext() {
        return next <= params.blocks() || readAt < ready.size();
      }

      @Override
      public GeneratedBlock next() {
        if (readAt == ready.size()) {
          if (next > params.blocks()) {
            throw new NoSuchElementException();
          }
          ready.clear();
          readAt = 0;
          long end = Math.min(params.blocks(), next + BATCH - 1);
          List<List<TxPlan>> plans = new ArrayList<>();
          for (long n = next; n <= end; n++) {
            plans.add(plan(n, nonces));
          }
          List<TxPlan> all = plans.stream().flatMap(List::stream).toList();
          // Signing dominates; the plans fix every choice, so the order of signing does not matter.
          byte[][] signed = new byte[all.size()][];
          IntStream.range(0, all.size())
              .parallel()
              .forEach(i -> signed[i] = all.get(i).sign(keys, params.networkId()));
          int at = 0;
          for (int b = 0; b < plans.size(); b++) {
            List<TxPlan> p = plans.get(b);
            byte[][] txs = Arrays.copyOfRange(signed, at, at + p.size());
            at += p.size();
            GeneratedBlock g = assemble(next + b, parent, p, txs);
            ready.add(g);
            parent = g.block().header();
          }
          next = end + 1;
        }
        return ready.get(readAt++);
      }
    };
  }

  /** One transaction's every choice, made before signing. */
  record TxPlan(
      int type,
      int sender,
      long nonce,
      byte[] to,
      BigInteger value,
      byte[] data,
      long gas,
      long gasUsed,
      List<Log> logs) {

    byte[] sign(BigInteger[] keys, long chainId) {
      BigInteger tip = BigInteger.valueOf(1_000_000_000L);
      BigInteger maxFee = BigInteger.valueOf(30_000_000_000L);
      RlpWriter w = new RlpWriter(data.length + 160).startList();
      if (type == 0) {
        w.writeLong(nonce)
            .writeBigInteger(maxFee)
            .writeLong(gas)
            .writeBytes(to)
            .writeBigInteger(value)
            .writeBytes(data)
            .writeLong(chainId)
            .writeLong(0)
            .writeLong(0);
        TxSigner.Signature s =
            TxSigner.sign(keys[sender], Keccak256.hash(w.endList().toByteArray()));
        return new RlpWriter(data.length + 160)
            .startList()
            .writeLong(nonce)
            .writeBigInteger(maxFee)
            .writeLong(gas)
            .writeBytes(to)
            .writeBigInteger(value)
            .writeBytes(data)
            .writeLong(chainId * 2 + 35 + s.recoveryId())
            .writeBigInteger(s.r())
            .writeBigInteger(s.s())
            .endList()
            .toByteArray();
      }
      w.writeLong(chainId).writeLong(nonce);
      if (type == 2) {
        w.writeBigInteger(tip);
      }
      w.writeBigInteger(maxFee)
          .writeLong(gas)
          .writeBytes(to)
          .writeBigInteger(value)
          .writeBytes(data);
      writeAccessList(w);
      byte[] unsigned = w.endList().toByteArray();
      TxSigner.Signature s = TxSigner.sign(keys[sender], Keccak256.hash(prefixed(type, unsigned)));
      RlpWriter out =
          new RlpWriter(data.length + 200).startList().writeLong(chainId).writeLong(nonce);
      if (type == 2) {
        out.writeBigInteger(tip);
      }
      out.writeBigInteger(maxFee)
          .writeLong(gas)
          .writeBytes(to)
          .writeBigInteger(value)
          .writeBytes(data);
      writeAccessList(out);
      out.writeLong(s.recoveryId()).writeBigInteger(s.r()).writeBigInteger(s.s());
      return prefixed(type, out.endList().toByteArray());
    }

    private void writeAccessList(RlpWriter w) {
      w.startList();
      if (!logs.isEmpty()) {
        // Calls declare the contract and one storage slot they touch, as wallets do.
        byte[] slot = new byte[32];
        slot[31] = (byte) nonce;
        w.startList().writeBytes(to).startList().writeBytes(slot).endList().endList();
      }
      w.endList();
    }

    private static byte[] prefixed(int type, byte[] rlp) {
      byte[] out = new byte[rlp.length + 1];
      out[0] = (byte) type;
      System.arraycopy(rlp, 0, out, 1, rlp.length);
      return out;
    }
  }

  private List<TxPlan> plan(long number, long[] nonces) {
    SplittableRandom rnd = new SplittableRandom(params.seed() * 1_000_003L + number);
    int mean = params.txsPerBlock();
    int count = mean == 0 ? 0 : mean / 2 + rnd.nextInt(mean + 1);
    List<TxPlan> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int sender = rnd.nextInt(SENDERS);
      int type = rnd.nextInt(10) < 6 ? 2 : rnd.nextInt(2);
      boolean call = rnd.nextInt(10) < 4;
      byte[] to = new byte[20];
      rnd.nextBytes(to);
      byte[] data = new byte[0];
      List<Log> logs = List.of();
      long gasUsed = 21_000;
      if (call) {
        // Contract calls: a selector and ABI words, up to about 1 KB of calldata, emitting 1-3
        // logs.
        data = new byte[4 + 32 * rnd.nextInt(1, 33)];
        rnd.nextBytes(data);
        for (int z = 4; z < data.length; z += 32) {
          Arrays.fill(data, z, z + 12, (byte) 0);
        }
        int nonZero = 0;
        for (byte b : data) {
          nonZero += b == 0 ? 0 : 1;
        }
        gasUsed =
            21_000 + 16L * nonZero + 4L * (data.length - nonZero) + rnd.nextInt(20_000, 120_000);
        int nLogs = rnd.nextInt(1, 4);
        List<Log> ls = new ArrayList<>(nLogs);
        for (int l = 0; l < nLogs; l++) {
          int nTopics = rnd.nextInt(1, 4);
          List<Hash> topics = new ArrayList<>(nTopics);
          for (int t = 0; t < nTopics; t++) {
            byte[] tb = new byte[32];
            rnd.nextBytes(tb);
            topics.add(Hash.of(tb));
          }
          byte[] ld = new byte[32 * rnd.nextInt(0, 4)];
          rnd.nextBytes(ld);
          ls.add(new Log(to, topics, ld));
        }
        logs = ls;
      }
      BigInteger value =
          call ? BigInteger.ZERO : BigInteger.valueOf(rnd.nextLong(1, Long.MAX_VALUE));
      out.add(
          new TxPlan(
              type, sender, nonces[sender]++, to, value, data, gasUsed + 10_000, gasUsed, logs));
    }
    return out;
  }

  private GeneratedBlock assemble(
      long number, BlockHeader parent, List<TxPlan> plans, byte[][] signed) {
    List<Transaction> txs = new ArrayList<>(plans.size());
    List<Receipt> receipts = new ArrayList<>(plans.size());
    long cumulative = 0;
    for (int i = 0; i < plans.size(); i++) {
      TxPlan p = plans.get(i);
      txs.add(Transaction.of(signed[i]));
      cumulative += p.gasUsed();
      receipts.add(Receipt.withStatus(p.type(), true, cumulative, p.logs()));
    }
    List<Withdrawal> withdrawals = new ArrayList<>(WITHDRAWALS);
    SplittableRandom rnd = new SplittableRandom(params.seed() * 7_919L + number);
    for (int i = 0; i < WITHDRAWALS; i++) {
      byte[] addr = new byte[20];
      rnd.nextBytes(addr);
      withdrawals.add(
          new Withdrawal(
              (number - 1) * WITHDRAWALS + i,
              rnd.nextInt(1_000_000),
              addr,
              rnd.nextLong(10_000, 20_000_000)));
    }
    BlockBody body = new BlockBody(txs, List.of(), withdrawals);
    BlockReceipts br = new BlockReceipts(receipts);
    BlockHeader h =
        BlockHeader.builder()
            .parentHash(parent.hash())
            .coinbase(addresses[(int) (number % SENDERS)])
            .stateRoot(pseudo("state", number))
            .transactionsRoot(body.transactionsRoot())
            .receiptsRoot(br.root())
            .logsBloom(br.bloom())
            .number(number)
            .gasLimit(GAS_LIMIT)
            .gasUsed(cumulative)
            .timestamp(GENESIS_TIME + SLOT_SECONDS * number)
            .extraData("peerflow".getBytes())
            .mixHash(pseudo("randao", number))
            .baseFee(nextBaseFee(parent))
            .withdrawalsRoot(body.withdrawalsRoot())
            .blobGasUsed(0L)
            .excessBlobGas(0L)
            .parentBeaconRoot(pseudo("beacon", number))
            .requestsHash(genesis().requestsHash())
            .build();
    return new GeneratedBlock(new Block(h, body), br);
  }

  /** EIP-1559's base fee update from the parent's gas used against its target (half the limit). */
  static BigInteger nextBaseFee(BlockHeader parent) {
    BigInteger base = parent.baseFee();
    long target = parent.gasLimit() / 2;
    long used = parent.gasUsed();
    if (used == target) {
      return base;
    }
    // 8 is EIP-1559's BASE_FEE_MAX_CHANGE_DENOMINATOR: at most 12.5% per block.
    if (used > target) {
      BigInteger delta =
          base.multiply(BigInteger.valueOf(used - target))
              .divide(BigInteger.valueOf(target))
              .divide(BigInteger.valueOf(8));
      return base.add(delta.max(BigInteger.ONE));
    }
    BigInteger delta =
        base.multiply(BigInteger.valueOf(target - used))
            .divide(BigInteger.valueOf(target))
            .divide(BigInteger.valueOf(8));
    return base.subtract(delta).max(BigInteger.ZERO);
  }

  private Hash pseudo(String what, long number) {
    return Hash.of(Keccak256.hash((what + "/" + params.seed() + "/" + number).getBytes()));
  }

  static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length * 2);
    for (byte x : b) {
      sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    return sb.toString();
  }
}
