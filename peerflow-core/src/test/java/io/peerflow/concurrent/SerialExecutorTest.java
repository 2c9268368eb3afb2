package io.peerflow.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.time.SystemTimer;
import io.peerflow.time.VirtualTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

  @Test
  void tasksRunInSubmissionOrderOnTheThreadThatMovesVirtualTime() {
    VirtualTime time = new VirtualTime();
    List<String> log = new ArrayList<>();
    SerialExecutor serial = new SerialExecutor(time, e -> log.add("failed: " + e.getMessage()));

    serial.execute(
        () -> {
          log.add("a");
          serial.execute(() -> log.add("c")); // queued behind b, not run inline
        });
    serial.execute(() -> log.add("b"));
    assertThat(log).isEmpty();

    time.advance(0);
    assertThat(log).containsExactly("a", "b", "c");
  }

  @Test
  void aFailingTaskIsReportedAndDoesNotStopTheOthers() {
    VirtualTime time = new VirtualTime();
    List<String> log = new ArrayList<>();
    SerialExecutor serial = new SerialExecutor(time, e -> log.add("failed: " + e.getMessage()));

    serial.execute(
        () -> {
          throw new IllegalStateException("boom");
        });
    serial.execute(() -> log.add("next"));
    time.advance(0);

    assertThat(log).containsExactly("failed: boom", "next");
  }

  @Test
  void tasksSubmittedFromManyThreadsNeverOverlapAndAllRun() throws Exception {
    int threads = 4;
    int perThread = 2_000;
    AtomicInteger running = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(threads * perThread);
    int[] unsynchronizedCounter = {0};
    try (SystemTimer timer = new SystemTimer("serial-test")) {
      SerialExecutor serial = new SerialExecutor(timer, e -> {});
      List<Thread> submitters = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread th =
            new Thread(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    serial.execute(
                        () -> {
                          if (running.incrementAndGet() > 1) {
                            overlaps.incrementAndGet();
                          }
                          unsynchronizedCounter[0]++;
                          running.decrementAndGet();
                          done.countDown();
                        });
                  }
                });
        submitters.add(th);
        th.start();
      }
      for (Thread th : submitters) {
        th.join();
      }
      assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(overlaps.get()).isZero();
    assertThat(unsynchronizedCounter[0]).isEqualTo(threads * perThread);
  }
}
