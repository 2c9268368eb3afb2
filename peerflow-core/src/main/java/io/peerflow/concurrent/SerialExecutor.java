package io.peerflow.concurrent;

import io.peerflow.time.Timer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs tasks one at a time, in submission order, on a {@link Timer}'s thread: the "one logical
 * thread" every piece of a scheduler's state lives on.
 *
 * <p>Thread-safe: {@link #execute} may be called from any thread (network threads completing
 * futures, the timer itself, the embedder). A drain is scheduled with a zero delay when the first
 * task arrives and runs every task queued until it finds the queue empty; at most one drain is
 * scheduled or running at a time, so tasks never overlap and each sees the effects of the ones
 * before it (the flag's compare-and-set orders them). On {@link io.peerflow.time.VirtualTime} tasks
 * run on the thread that moves time, in a deterministic order.
 */
public final class SerialExecutor implements Executor {

  private final Timer timer;
  private final Consumer<RuntimeException> onFailure;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  /** Tasks that throw are reported to {@code onFailure} (on this executor's thread). */
  public SerialExecutor(Timer timer, Consumer<RuntimeException> onFailure) {
    this.timer = timer;
    this.onFailure = onFailure;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    if (scheduled.compareAndSet(false, true)) {
      timer.schedule(0, this::drain);
    }
  }

  private void drain() {
    Runnable task;
    while ((task = tasks.poll()) != null) {
      try {
        task.run();
      } catch (RuntimeException e) {
        onFailure.accept(e);
      }
    }
    scheduled.set(false);
    // A task may have been added after the last poll but before the flag dropped, by a thread
    // that then saw the flag still set and left the scheduling to us.
    if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
      timer.schedule(0, this::drain);
    }
  }
}
