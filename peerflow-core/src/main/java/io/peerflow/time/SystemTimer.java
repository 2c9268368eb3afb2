package io.peerflow.time;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Timer} on the system clock, backed by one daemon thread.
 *
 * <p>Thread-safe. Tasks run one at a time on the timer's thread, so they must be short and must not
 * block; hand long work to another executor. {@link #close()} stops the thread and drops tasks not
 * yet run.
 */
public final class SystemTimer implements Timer, AutoCloseable {

  private final ScheduledExecutorService executor;

  /** Creates a timer whose thread is named {@code name}. */
  public SystemTimer(String name) {
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public Clock clock() {
    return Clock.system();
  }

  @Override
  public Timeout schedule(long delayNanos, Runnable task) {
    ScheduledFuture<?> f = executor.schedule(task, Math.max(0L, delayNanos), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
