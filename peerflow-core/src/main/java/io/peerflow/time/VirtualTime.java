package io.peerflow.time;

import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A clock and timer in virtual time: time moves only when {@link #advance} or {@link #runUntilIdle}
 * is called, and due tasks run on the calling thread.
 *
 * <p>This is how the scheduler and trackers are tested and simulated deterministically: tasks due
 * at the same instant run in the order they were scheduled. Thread-safe (all state is guarded by
 * {@code this}), but tasks always run on the thread that moves time, outside the lock, so a task
 * may schedule further tasks.
 */
public final class VirtualTime implements Clock, Timer {

  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private long now;
  private long sequence;

  /** Starts at {@code startNanos}; any origin works, since only differences matter. */
  public VirtualTime(long startNanos) {
    this.now = startNanos;
  }

  /** Starts at an arbitrary non-zero instant, so code that treats 0 as "unset" is caught. */
  public VirtualTime() {
    this(1_000_000_000_000L);
  }

  @Override
  public synchronized long nanos() {
    return now;
  }

  @Override
  public Clock clock() {
    return this;
  }

  @Override
  public synchronized Timeout schedule(long delayNanos, Runnable task) {
    Task t = new Task(now + Math.max(0L, delayNanos), sequence++, task);
    queue.add(t);
    return t::cancel;
  }

  /** Moves time forward by {@code nanos}, running every task that falls due on the way. */
  public void advance(long nanos) {
    if (nanos < 0) {
      throw new IllegalArgumentException("time cannot move backwards: " + nanos);
    }
    long target;
    synchronized (this) {
      target = now + nanos;
    }
    runUntil(target);
  }

  /**
   * Runs due tasks in time order up to and including {@code targetNanos}, then sets the clock
   * there.
   */
  public void runUntil(long targetNanos) {
    while (true) {
      Task next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.due > targetNanos) {
          if (targetNanos > now) {
            now = targetNanos;
          }
          return;
        }
        queue.poll();
        if (next.due > now) {
          now = next.due;
        }
      }
      next.run();
    }
  }

  /**
   * Runs tasks in time order, moving the clock to each, until none is left or {@code maxTasks} have
   * run. Returns the number of tasks run.
   */
  public long runUntilIdle(long maxTasks) {
    long ran = 0;
    while (ran < maxTasks) {
      Task next;
      synchronized (this) {
        next = queue.poll();
        if (next == null) {
          return ran;
        }
        if (next.due > now) {
          now = next.due;
        }
      }
      if (next.run()) {
        ran++;
      }
    }
    return ran;
  }

  /** Number of scheduled tasks not yet run (cancelled ones may still be counted). */
  public synchronized int pending() {
    return queue.size();
  }

  private static final class Task implements Comparable<Task> {
    final long due;
    final long seq;
    final Runnable body;
    final AtomicBoolean done = new AtomicBoolean();

    Task(long due, long seq, Runnable body) {
      this.due = due;
      this.seq = seq;
      this.body = body;
    }

    boolean cancel() {
      return done.compareAndSet(false, true);
    }

    /** Runs the body unless cancelled; returns whether it ran. */
    boolean run() {
      if (!done.compareAndSet(false, true)) {
        return false;
      }
      body.run();
      return true;
    }

    @Override
    public int compareTo(Task o) {
      int c = Long.compare(due, o.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
