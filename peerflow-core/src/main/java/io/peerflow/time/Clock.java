package io.peerflow.time;

/**
 * A monotonic source of time in nanoseconds, injected wherever peerflow measures or waits.
 *
 * <p>Only differences between two readings are meaningful; the origin is arbitrary. Production code
 * uses {@link #system()}; tests and the simulator use {@link VirtualTime}, so timing logic runs in
 * virtual time and is checked by moving a clock, never by sleeping. Implementations must be safe to
 * read from any thread.
 */
@FunctionalInterface
public interface Clock {

  /** Current reading in nanoseconds; never decreases between calls. */
  long nanos();

  /** The JVM's monotonic clock ({@link System#nanoTime()}). */
  static Clock system() {
    return System::nanoTime;
  }
}
