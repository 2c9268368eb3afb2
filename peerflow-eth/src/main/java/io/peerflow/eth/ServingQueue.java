package io.peerflow.eth;

import io.peerflow.concurrent.Failures;
import io.peerflow.time.Timer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * One connection's serving work in progress, bounded: the peer's requests wait here in order and
 * are answered one per turn on the node's {@link ServingPool}, only while the connection is
 * writable and its last answer has been written to the socket, so answers never pile up in its
 * outbound buffer or on its event loop. A peer that queues more than {@link #MAX_REQUESTS}
 * requests, or does not read its answers for {@link #UNREAD_TIMEOUT_NANOS}, is refused through
 * {@code onBreach} with a reason; {@link #close} drops what is held.
 *
 * <p>What one connection holds is thus at most {@link #MAX_REQUESTS} decoded requests (each at most
 * 1024 hashes) and {@link #MAX_UNWRITTEN} answers being written (each at most the 2 MiB soft limit
 * plus one item).
 *
 * <p>Thread-safe: the event loop offers requests and reports writability, workers take turns; the
 * state is guarded by {@code this}. Only one turn of a connection is queued or running at a time,
 * so its requests are answered in order.
 */
final class ServingQueue {

  /**
   * Requests a peer may have waiting or being answered. Our own downloader keeps up to 16 requests
   * in flight per kind (headers, bodies, receipts), 48 in all; go-ethereum keeps one per kind. 64
   * leaves room for both and still bounds a flood at 64 small requests (at most 1024 hashes each).
   */
  static final int MAX_REQUESTS = 64;

  /**
   * How long a connection may stay unwritable (the peer reading none of what we sent) before it is
   * dropped: go-ethereum's {@code frameWriteTimeout}, which an honest peer on a slow link meets,
   * since it needs to read only one answer's worth in that time.
   */
  static final long UNREAD_TIMEOUT_NANOS = 20_000_000_000L;

  /** One request: how to compose its answer, and how to send that. */
  private record Job(Supplier<CompletableFuture<Serving.Answer>> compose) {}

  private final Executor pool;
  private final Timer timer;
  private final Function<Serving.Answer, CompletableFuture<Void>> send;
  private final BiConsumer<String, Boolean> onBreach;
  private final Logger log;
  private final String peer;
  private final ArrayDeque<Job> waiting = new ArrayDeque<>();
  private int held;
  private boolean writable;
  private boolean turnQueued;

  /**
   * Answers a connection may have with the transport and not yet written to the socket. Two, so the
   * next is composed while the last is written: with one, a connection's turns would wait on its
   * peer reading each answer, and a new connection (whose kernel socket buffers start small) would
   * get fewer turns than old ones whose buffers have grown, which the fairness test showed.
   */
  static final int MAX_UNWRITTEN = 2;

  private int unwritten;

  private boolean closed;
  private Timer.Timeout unread;

  /** Completes once the last composed answer has been handed to the transport. */
  private CompletableFuture<Void> lastHandover = CompletableFuture.completedFuture(null);

  /**
   * @param pool runs turns, first come first served ({@link ServingPool})
   * @param send sends an answer (from a worker, timer or event-loop thread); completes once it is
   *     written to the socket
   * @param onBreach ends the connection with a reason; its flag says whether it is a timeout
   */
  ServingQueue(
      Executor pool,
      Timer timer,
      boolean writable,
      Function<Serving.Answer, CompletableFuture<Void>> send,
      BiConsumer<String, Boolean> onBreach,
      Logger log,
      String peer) {
    this.pool = pool;
    this.timer = timer;
    this.writable = writable;
    this.send = send;
    this.onBreach = onBreach;
    this.log = log;
    this.peer = peer;
  }

  /**
   * Queues a request whose answer {@code compose} makes; false (and the peer is refused) if that
   * passes the bound.
   */
  boolean offer(Supplier<CompletableFuture<Serving.Answer>> compose) {
    synchronized (this) {
      if (closed) {
        return true;
      }
      if (waiting.size() + held < MAX_REQUESTS) {
        waiting.add(new Job(compose));
        queueTurnIfDue();
        return true;
      }
    }
    onBreach.accept(
        "more than "
            + MAX_REQUESTS
            + " requests waiting for an answer; it asks faster than it reads",
        false);
    return false;
  }

  /** The transport's writability changed. */
  void writable(boolean now) {
    synchronized (this) {
      if (closed || writable == now) {
        return;
      }
      writable = now;
      if (now) {
        if (unread != null) {
          unread.cancel();
          unread = null;
        }
        queueTurnIfDue();
        return;
      }
      unread = timer.schedule(UNREAD_TIMEOUT_NANOS, this::unreadTooLong);
    }
  }

  private void unreadTooLong() {
    synchronized (this) {
      if (closed || writable) {
        return;
      }
    }
    onBreach.accept(
        "read none of its answers for " + UNREAD_TIMEOUT_NANOS / 1_000_000_000L + " s", true);
  }

  /** The connection ended: drops the waiting requests and stops the unread deadline. */
  synchronized void close() {
    closed = true;
    waiting.clear();
    if (unread != null) {
      unread.cancel();
      unread = null;
    }
  }

  /** Requests waiting or being answered. */
  synchronized int size() {
    return waiting.size() + held;
  }

  /** Caller holds the lock. */
  private void queueTurnIfDue() {
    if (!turnQueued && writable && unwritten < MAX_UNWRITTEN && !closed && !waiting.isEmpty()) {
      turnQueued = true;
      pool.execute(this::turn);
    }
  }

  /** Answers the oldest waiting request; runs on a worker. */
  private void turn() {
    Job job;
    synchronized (this) {
      job = closed || !writable ? null : waiting.poll();
      if (job == null) {
        turnQueued = false;
        return;
      }
      held++;
    }
    CompletableFuture<Serving.Answer> answer;
    try {
      answer = job.compose().get();
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    // Answers go out in the order of their requests, also when a decorator holds one back, and
    // the transport holds at most MAX_UNWRITTEN answers of this connection (the event loop at
    // most that many answers' encryption) however fast the workers compose.
    CompletableFuture<Serving.Answer> composed = answer;
    CompletableFuture<Void> next =
        lastHandover
            .thenCompose(v -> composed.handle((a, e) -> e == null ? a : failed(e)))
            .thenAccept(this::write);
    synchronized (this) {
      lastHandover = next;
      turnQueued = false;
      queueTurnIfDue();
    }
  }

  private Serving.Answer failed(Throwable e) {
    log.warn("Cannot answer {}: {}", peer, Failures.describe(e));
    return null;
  }

  /**
   * Hands {@code a} (null for an answer that failed) to the transport; once it is written, the
   * connection may take its next turn.
   */
  private void write(Serving.Answer a) {
    synchronized (this) {
      if (a == null || closed) {
        held--;
        return;
      }
      unwritten++;
    }
    CompletableFuture<Void> written;
    try {
      written = send.apply(a);
    } catch (RuntimeException e) {
      written = CompletableFuture.failedFuture(e);
    }
    written.whenComplete(
        (v, e) -> {
          synchronized (this) {
            held--;
            unwritten--;
            queueTurnIfDue();
          }
        });
  }
}
