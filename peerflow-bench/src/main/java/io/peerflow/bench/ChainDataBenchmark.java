package io.peerflow.bench;

import io.peerflow.bench.baseline.BaselineBloom;
import io.peerflow.bench.baseline.BaselineTrieRoot;
import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockReceipts;
import io.peerflow.chain.block.Bloom;
import io.peerflow.chain.block.Log;
import io.peerflow.chain.block.Receipt;
import io.peerflow.chain.trie.TrieRoot;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The checks a synced block's body and receipts pass, on a mainnet-sized block (150 transactions of
 * about 300 bytes, one to three logs a receipt), each against the implementation it replaced
 * (array-per-node trie root, Bouncy Castle's Keccak), single-threaded.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ChainDataBenchmark {

  /** Transactions (and receipts) of a mainnet-sized block. */
  private static final int TRANSACTIONS = 150;

  private List<byte[]> transactions;
  private BlockReceipts receipts;
  private List<Log> logs;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(1);
    transactions = new ArrayList<>();
    List<Receipt> list = new ArrayList<>();
    logs = new ArrayList<>();
    for (int i = 0; i < TRANSACTIONS; i++) {
      byte[] tx = new byte[250 + random.nextInt(100)];
      random.nextBytes(tx);
      transactions.add(tx);
      List<Log> receiptLogs = new ArrayList<>();
      for (int l = 1 + random.nextInt(3); l > 0; l--) {
        byte[] address = new byte[20];
        random.nextBytes(address);
        List<Hash> topics = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
          byte[] topic = new byte[32];
          random.nextBytes(topic);
          topics.add(Hash.of(topic));
        }
        byte[] data = new byte[64];
        random.nextBytes(data);
        receiptLogs.add(new Log(address, topics, data));
      }
      logs.addAll(receiptLogs);
      list.add(Receipt.withStatus(2, true, 21_000L * (i + 1), receiptLogs));
    }
    receipts = new BlockReceipts(list);
  }

  @Benchmark
  public Hash transactionsRootBaseline() {
    return BaselineTrieRoot.ordered(transactions);
  }

  @Benchmark
  public Hash transactionsRoot() {
    return TrieRoot.ordered(transactions);
  }

  @Benchmark
  public Hash receiptsRootBaseline() {
    List<byte[]> values = new ArrayList<>(TRANSACTIONS);
    for (Receipt r : receipts.receipts()) {
      values.add(r.consensusEncoding());
    }
    return BaselineTrieRoot.ordered(values);
  }

  @Benchmark
  public Hash receiptsRoot() {
    return receipts.root();
  }

  @Benchmark
  public byte[] bloomBaseline() {
    return BaselineBloom.of(logs);
  }

  @Benchmark
  public byte[] bloom() {
    return Bloom.of(logs);
  }
}
