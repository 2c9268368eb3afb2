package io.peerflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutionProfileTest {

  @TempDir Path dir;

  /** Spins in one method until the recording has sampled it enough times. */
  private static long spin(long nanos) {
    long end = System.nanoTime() + nanos;
    long x = 1;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 10_000; i++) {
        x = x * 6364136223846793005L + 1442695040888963407L;
      }
    }
    return x;
  }

  @Test
  void theMethodThatBurnsTheCpuTopsTheProfileWithSharesThatAddUp() throws Exception {
    Path jfr = dir.resolve("r.jfr");
    try (Recording r = new Recording()) {
      r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
      r.start();
      long sink = 0;
      // Bounded: long enough for dozens of samples even on a loaded machine.
      for (int round = 0; round < 40; round++) {
        sink += spin(50_000_000L);
      }
      r.stop();
      r.dump(jfr);
      assertThat(sink).isNotZero();
    }
    ExecutionProfile p = ExecutionProfile.read(jfr, 5);
    assertThat(p.samples()).isPositive();
    assertThat(p.top()).isNotEmpty().hasSizeLessThanOrEqualTo(5);
    assertThat(p.top().get(0).method()).isEqualTo(ExecutionProfileTest.class.getName() + ".spin");
    assertThat(p.top().get(0).share()).isGreaterThan(0.5);
    assertThat(p.top()).isSortedAccordingTo((a, b) -> Long.compare(b.samples(), a.samples()));
    assertThat(p.top().stream().mapToDouble(ExecutionProfile.Entry::share).sum())
        .isLessThanOrEqualTo(1.0 + 1e-9);
  }
}
