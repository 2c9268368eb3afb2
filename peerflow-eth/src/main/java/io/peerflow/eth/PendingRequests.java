package io.peerflow.eth;

import io.peerflow.peers.Response;
import io.peerflow.time.Timer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Our requests on one connection that await an answer: each gets a fresh request id, a deadline on
 * the injected {@link Timer} and the decoder of the answer it expects; an answer is matched to its
 * request by id and kind, and completes that request's future exactly once (answer, timeout,
 * failure to send, or the connection's end, whichever comes first).
 *
 * <p>Thread-safe: requests open from any thread, answers arrive on the event loop, deadlines fire
 * on the timer's thread; the pending map's atomic remove decides which of them settles a request.
 */
final class PendingRequests {

  /** One request awaiting its answer. */
  private record Pending(
      int answerCode,
      CompletableFuture<Response> future,
      Function<byte[], Response> decoder,
      Timer.Timeout deadline) {}

  /** A request just opened: the id to send it with, and the future its answer completes. */
  record Opened(long id, CompletableFuture<Response> future) {}

  private final Timer timer;
  private final long timeoutNanos;
  private final String peer;
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

  // Ids start at a random point so that a peer cannot guess them across reconnections.
  private final AtomicLong nextId =
      new AtomicLong(ThreadLocalRandom.current().nextInt() & 0x7fffffffL);

  /** Requests to {@code peer} (a label for messages) that fail after {@code timeoutNanos}. */
  PendingRequests(Timer timer, long timeoutNanos, String peer) {
    this.timer = timer;
    this.timeoutNanos = timeoutNanos;
    this.peer = peer;
  }

  /** Opens a request whose answer comes as message {@code answerCode}, read by {@code decoder}. */
  Opened open(int answerCode, Function<byte[], Response> decoder) {
    long id = nextId.incrementAndGet();
    CompletableFuture<Response> f = new CompletableFuture<>();
    Timer.Timeout deadline =
        timer.schedule(
            timeoutNanos,
            () ->
                fail(
                    id,
                    new EthException(
                        "no answer from "
                            + peer
                            + " within "
                            + timeoutNanos / 1_000_000_000L
                            + " s")));
    pending.put(id, new Pending(answerCode, f, decoder, deadline));
    return new Opened(id, f);
  }

  /** Fails request {@code id} if it is still pending. */
  void fail(long id, EthException e) {
    Pending p = pending.remove(id);
    if (p != null) {
      p.deadline().cancel();
      p.future().completeExceptionally(e);
    }
  }

  /** Fails every pending request: the connection ended. */
  void failAll(EthException e) {
    for (Long id : List.copyOf(pending.keySet())) {
      fail(id, e);
    }
  }

  /** The number of requests awaiting an answer. */
  int size() {
    return pending.size();
  }

  /**
   * Settles the request answered by message {@code code} carrying request id {@code id}; returns
   * the breach of protocol, if the answer is one (nobody asked, or it is of the wrong kind). A
   * payload the decoder rejects fails the request and the decoder's exception is rethrown, for the
   * caller to end the connection with.
   */
  Optional<String> answer(int code, long id, byte[] payload) {
    Pending p = pending.remove(id);
    if (p == null) {
      return Optional.of(
          "unsolicited answer 0x" + Integer.toHexString(code) + " with request id " + id);
    }
    p.deadline().cancel();
    if (p.answerCode() != code) {
      p.future().completeExceptionally(new EthException("wrong answer type"));
      return Optional.of(
          "answer 0x"
              + Integer.toHexString(code)
              + " to a request expecting 0x"
              + Integer.toHexString(p.answerCode()));
    }
    Response r;
    try {
      r = p.decoder().apply(payload);
    } catch (RuntimeException e) {
      p.future().completeExceptionally(new EthException("malformed answer: " + e.getMessage(), e));
      throw e;
    }
    p.future().complete(r);
    return Optional.empty();
  }
}
