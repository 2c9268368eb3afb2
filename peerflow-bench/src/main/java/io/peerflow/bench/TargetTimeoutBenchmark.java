package io.peerflow.bench;

import io.peerflow.msgrate.Tracker;
import io.peerflow.msgrate.Trackers;
import io.peerflow.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The group's target timeout, read for every request by many threads at once while answers update
 * the trackers. With the {@code system} clock re-tuning is rare (once per tuned round trip,
 * seconds); the {@code racing} clock moves 1 ms per reading, so re-tuning (the one locked path)
 * happens every few thousand reads and the readers contend for it.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TargetTimeoutBenchmark {

  private static final int PEERS = 50;

  @Param({"system", "racing"})
  public String clock;

  private Trackers trackers;
  private final String[] ids = new String[PEERS];

  @Setup(Level.Trial)
  public void setUp() {
    Clock c;
    if (clock.equals("racing")) {
      AtomicLong now = new AtomicLong();
      c = () -> now.addAndGet(1_000_000L);
    } else {
      c = Clock.system();
    }
    trackers = new Trackers(c);
    for (int i = 0; i < PEERS; i++) {
      ids[i] = "p" + i;
      trackers.track(ids[i], new Tracker(Map.of(4L, 100.0 + i), 2_000_000_000L + i * 10_000_000L));
    }
  }

  /** Two threads reading the timeout, nothing else. */
  @Benchmark
  @Group("readers")
  @GroupThreads(2)
  public long readersOnly() {
    return trackers.targetTimeout();
  }

  /** One thread reading the timeout while another feeds measurements. */
  @Benchmark
  @Group("mixed")
  @GroupThreads(1)
  public long mixedReader() {
    return trackers.targetTimeout();
  }

  /** Only the writer thread touches it. */
  private int next;

  /** The writer of the mixed group: an answer from one of the peers. */
  @Benchmark
  @Group("mixed")
  @GroupThreads(1)
  public void mixedWriter() {
    next = (next + 1) % PEERS;
    trackers.update(ids[next], 4, 1_500_000_000L, 150);
  }
}
