package io.peerflow.bench;

import io.peerflow.bench.baseline.BouncyCastleKeccak;
import io.peerflow.crypto.Keccak256;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Keccak-256 of one input, peerflow-crypto's against Bouncy Castle's, single-threaded: 32 bytes is
 * a bloom topic or a trie key, 300 a transaction or a trie node, 65536 a long run of blocks.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KeccakBenchmark {

  @Param({"32", "300", "65536"})
  int size;

  private byte[] data;

  @Setup
  public void setUp() {
    data = new byte[size];
    new SplittableRandom(1).nextBytes(data);
  }

  @Benchmark
  public byte[] bouncyCastle() {
    return BouncyCastleKeccak.hash(data);
  }

  @Benchmark
  public byte[] peerflow() {
    return Keccak256.hash(data);
  }
}
