package io.peerflow.bench;

import io.peerflow.msgrate.Tracker;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One peer's tracker on the request path: sizing a request ({@code capacity}) and feeding back its
 * answer ({@code update}), single-threaded.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TrackerBenchmark {

  private static final long SECOND = 1_000_000_000L;

  private Tracker tracker;
  private long elapsed;

  @Setup
  public void setUp() {
    tracker = new Tracker(Map.of(4L, 500.0, 6L, 200.0, 14L, 1000.0, 16L, 300.0), 2 * SECOND);
  }

  /** Size a request, then record its answer: the per-request cost of throughput tracking. */
  @Benchmark
  public int updateThenCapacity() {
    // Vary the measurement so the JIT cannot fold it away.
    elapsed = (elapsed + 7_919_113) % (3 * SECOND);
    tracker.update(16, elapsed + 1, 128);
    return tracker.capacity(16, 2 * SECOND);
  }

  /** Sizing alone, as done for every candidate peer when choosing where to send work. */
  @Benchmark
  public int capacity() {
    return tracker.capacity(14, 2 * SECOND);
  }
}
