package io.peerflow.eth;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker threads a node answers its peers' requests on, shared by every connection: how serving
 * is kept off the network event loops (the source may read a disk) and shared fairly.
 *
 * <p>Fairness is a round-robin over connections: a connection with requests waiting has at most one
 * turn queued here at a time, a turn answers one request, and the turns wait in one first-in,
 * first-out queue. A connection that still has work after its turn goes to the back. So with N
 * connections that all have work, each gets one answer in every N, whatever how many requests any
 * of them sent; and since an answer is capped (1024 items, about 2 MiB), one turn is bounded work.
 * The queue holds at most one turn per connection, so it is bounded by the number of peers.
 *
 * <p>Thread-safe.
 */
final class ServingPool implements Executor, AutoCloseable {

  private final ThreadPoolExecutor workers;

  /** A pool of {@code threads} daemon workers. */
  ServingPool(int threads) {
    AtomicInteger n = new AtomicInteger();
    this.workers =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.NANOSECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "peerflow-eth-serving-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** Queues {@code turn} behind every turn already waiting. */
  @Override
  public void execute(Runnable turn) {
    if (!workers.isShutdown()) {
      workers.execute(turn);
    }
  }

  /** Stops the workers; turns not yet run are dropped. */
  @Override
  public void close() {
    workers.shutdownNow();
  }
}
