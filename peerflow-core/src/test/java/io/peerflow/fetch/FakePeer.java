package io.peerflow.fetch;

import io.peerflow.chain.Hash;
import io.peerflow.peers.RemotePeer;
import io.peerflow.peers.Response;
import io.peerflow.time.VirtualTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A remote peer under the test's control. Manual by default (the test completes each request);
 * {@link #autoAnswer} makes it answer every request in full after a latency plus a per-item cost,
 * serving one request at a time in arrival order.
 */
final class FakePeer implements RemotePeer {

  /** A request the peer received. */
  static final class Request {
    final List<Integer> items;
    final CompletableFuture<ItemQueue.Answer> answer = new CompletableFuture<>();

    Request(List<Integer> items) {
      this.items = items;
    }

    void answerAll() {
      answer.complete(new ItemQueue.Answer(items, true));
    }

    void answer(List<Integer> subset) {
      answer.complete(new ItemQueue.Answer(subset, true));
    }

    void answerJunk() {
      answer.complete(new ItemQueue.Answer(items, false));
    }
  }

  private final String id;
  final List<Request> requests = new ArrayList<>();
  private VirtualTime time;
  private long latencyNanos;
  private long perItemNanos;
  private long busyUntil;
  private Set<Integer> lacking = Set.of();
  private Executor answerer;
  private boolean refusing;

  FakePeer(String id) {
    this.id = id;
  }

  /**
   * Answers every request by itself: after {@code latency}, plus {@code perItem} per item served.
   */
  FakePeer autoAnswer(VirtualTime time, long latencyNanos, long perItemNanos) {
    this.time = time;
    this.latencyNanos = latencyNanos;
    this.perItemNanos = perItemNanos;
    return this;
  }

  /** Answers every request in full on {@code network}'s threads, as a real transport would. */
  FakePeer answerOn(Executor network) {
    this.answerer = network;
    return this;
  }

  /** Makes every request throw, as a transport does for a peer that just disconnected. */
  FakePeer refusing() {
    this.refusing = true;
    return this;
  }

  /** Items this peer does not have: it leaves them out of its answers. */
  FakePeer lacking(Set<Integer> items) {
    this.lacking = Set.copyOf(items);
    return this;
  }

  Request last() {
    return requests.get(requests.size() - 1);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public CompletableFuture<? extends Response> requestBodies(List<Hash> hashes) {
    if (refusing) {
      throw new IllegalStateException("peer " + id + " is disconnecting");
    }
    List<Integer> items = new ArrayList<>();
    for (Hash h : hashes) {
      items.add(ItemQueue.item(h));
    }
    Request r = new Request(List.copyOf(items));
    requests.add(r);
    if (answerer != null) {
      answerer.execute(r::answerAll);
    }
    if (time != null) {
      List<Integer> served = new ArrayList<>();
      for (int i : items) {
        if (!lacking.contains(i)) {
          served.add(i);
        }
      }
      long arrive = time.nanos() + latencyNanos / 2;
      long start = Math.max(arrive, busyUntil);
      busyUntil = start + served.size() * perItemNanos;
      time.schedule(busyUntil + latencyNanos / 2 - time.nanos(), () -> r.answer(served));
    }
    return r.answer;
  }

  @Override
  public CompletableFuture<? extends Response> requestHeadersByNumber(
      long origin, int amount, int skip, boolean reverse) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<? extends Response> requestHeadersByHash(
      Hash origin, int amount, int skip, boolean reverse) {
    throw new UnsupportedOperationException();
  }

  /** Receipts are served like bodies, from the same queue of requests. */
  @Override
  public CompletableFuture<? extends Response> requestReceipts(List<Hash> hashes) {
    return requestBodies(hashes);
  }
}
