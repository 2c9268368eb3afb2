package io.peerflow.time;

/**
 * Runs a task once after a delay measured on a {@link Clock}: the one way peerflow code waits.
 *
 * <p>Logic that needs a timeout asks a {@code Timer} instead of sleeping a thread, so the same code
 * runs on {@link SystemTimer} in production and on {@link VirtualTime} in tests and simulations.
 * Implementations are thread-safe: {@link #schedule} and {@link Timeout#cancel} may be called from
 * any thread, including from inside a running task.
 */
public interface Timer {

  /** The clock this timer's delays are measured on. */
  Clock clock();

  /**
   * Runs {@code task} once, no earlier than {@code delayNanos} after now. A delay of zero or less
   * runs it as soon as possible (never on the caller's stack).
   */
  Timeout schedule(long delayNanos, Runnable task);

  /** A scheduled task that has not necessarily run yet. */
  interface Timeout {
    /**
     * Prevents the task from running if it has not started. Returns true if this call cancelled it,
     * false if it had already run, started, or been cancelled.
     */
    boolean cancel();
  }
}
