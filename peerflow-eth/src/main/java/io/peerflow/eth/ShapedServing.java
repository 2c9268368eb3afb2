package io.peerflow.eth;

import io.peerflow.eth.wire.EthMessages;
import io.peerflow.eth.wire.PartialReceipts;
import io.peerflow.time.Timer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Serving} that holds back another's answers by a {@link Shaping}, to stand in for a peer
 * of given bandwidth and distance: local test networks and benchmarks build it around a node's
 * serving; a production node never does. Every answer waits the shaping's latency, and all answers
 * share one budget of items per second, queueing behind each other when it is spent; the waits are
 * timers on the injected {@link Timer}, never blocked threads.
 *
 * <p>Thread-safe: the budget is one atomic reading of the timer's clock, shared by every connection
 * of the node that uses this instance.
 */
public final class ShapedServing implements Serving {

  private final Serving inner;
  private final Shaping shaping;
  private final Timer timer;

  /** When (on the timer's clock) the budget is next free; no reading is below the minimum. */
  private final AtomicLong budgetFreeAt = new AtomicLong(Long.MIN_VALUE);

  /** Holds back {@code inner}'s answers by {@code shaping}, waiting on {@code timer}. */
  public ShapedServing(Serving inner, Shaping shaping, Timer timer) {
    this.inner = inner;
    this.shaping = shaping;
    this.timer = timer;
  }

  /** The shaping applied. */
  public Shaping shaping() {
    return shaping;
  }

  @Override
  public CompletableFuture<Answer> headers(EthMessages.HeadersRequest request) {
    return inner.headers(request).thenCompose(this::hold);
  }

  @Override
  public CompletableFuture<Answer> bodies(EthMessages.HashesRequest request) {
    return inner.bodies(request).thenCompose(this::hold);
  }

  @Override
  public CompletableFuture<Answer> receipts(int version, EthMessages.HashesRequest request) {
    return inner.receipts(version, request).thenCompose(this::hold);
  }

  @Override
  public CompletableFuture<Answer> receipts70(PartialReceipts.Request request) {
    return inner.receipts70(request).thenCompose(this::hold);
  }

  private CompletableFuture<Answer> hold(Answer a) {
    long delay = delayNanos(a.items());
    if (delay <= 0) {
      return CompletableFuture.completedFuture(a);
    }
    CompletableFuture<Answer> later = new CompletableFuture<>();
    timer.schedule(delay, () -> later.complete(a));
    return later;
  }

  /** How long an answer of {@code items} items waits from now, taking its share of the budget. */
  long delayNanos(int items) {
    long latency = shaping.latency().toNanos();
    if (shaping.itemsPerSecond() <= 0) {
      return latency;
    }
    long now = timer.clock().nanos();
    long cost = (long) (items * 1e9 / shaping.itemsPerSecond());
    long ready = budgetFreeAt.accumulateAndGet(cost, (free, c) -> Math.max(now, free) + c);
    return ready - now + latency;
  }
}
