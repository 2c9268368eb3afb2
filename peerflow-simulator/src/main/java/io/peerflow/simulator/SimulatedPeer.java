package io.peerflow.simulator;

import io.peerflow.chain.Hash;
import io.peerflow.peers.MessageKind;
import io.peerflow.peers.RemotePeer;
import io.peerflow.peers.Response;
import io.peerflow.time.VirtualTime;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * A remote peer in virtual time: a link with a bandwidth and a jittery latency, and a server that
 * serves one request at a time in arrival order, applying go-ethereum's per-response limits.
 *
 * <p>The timing model: a request reaches the peer one latency after it was sent; the peer starts on
 * it once it has finished the ones before; serving takes, per item, the lookup cost plus the item's
 * size over the bandwidth; the answer arrives one latency after it is done. So a peer kept busy
 * delivers {@code 1 / (cost + size / bandwidth)} items per second, the rate the ideal time is
 * computed from; every gap in its queue is lost throughput.
 *
 * <p>Not thread-safe: everything runs on the thread that moves the {@link VirtualTime}.
 */
final class SimulatedPeer implements RemotePeer {

  /**
   * go-ethereum's server stops adding items to an answer once it holds this many bytes ({@code
   * softResponseLimit}); the item that crosses the limit is still included.
   */
  static final long SOFT_RESPONSE_LIMIT = 2 * 1024 * 1024;

  private static final double NANOS_PER_SECOND = 1e9;

  private final String id;
  private final Behaviour behaviour;
  private final double bandwidth;
  private final long latencyNanos;
  private final double jitter;
  private final long itemCostNanos;
  private final VirtualTime time;
  private final ItemCatalog catalog;
  private final SplittableRandom random;
  private final int lackFrom;
  private final int lackTo;
  private final List<CompletableFuture<SimulatedResponse>> outstanding = new ArrayList<>();

  private double slowFactor = 1;
  private long freeAt;
  private long connectedAt;
  private boolean connected;

  /** Bumped on every disconnect, so work scheduled for an earlier connection is discarded. */
  private int epoch;

  SimulatedPeer(
      String id,
      PeerProfile profile,
      int index,
      VirtualTime time,
      ItemCatalog catalog,
      SplittableRandom random) {
    this.id = id;
    this.behaviour = profile.behaviour();
    this.bandwidth = profile.bandwidth(index);
    this.latencyNanos = (long) (profile.latencyMillis() * 1e6);
    this.jitter = profile.jitter();
    this.itemCostNanos = (long) (profile.itemCostMillis() * 1e6);
    this.time = time;
    this.catalog = catalog;
    this.random = random;
    if (behaviour instanceof Behaviour.Lacking lacking) {
      int span = (int) (lacking.fraction() * catalog.count());
      this.lackFrom = random.nextInt(Math.max(1, catalog.count() - span + 1));
      this.lackTo = lackFrom + span;
    } else {
      this.lackFrom = 0;
      this.lackTo = 0;
    }
  }

  Behaviour behaviour() {
    return behaviour;
  }

  /** Items per second this peer sustains when never idle, at its starting speed. */
  double trueRate() {
    return NANOS_PER_SECOND / (itemCostNanos + catalog.meanSize() / bandwidth * NANOS_PER_SECOND);
  }

  /** Items per second it sustains now (after a slowdown, lower). */
  double currentRate() {
    return trueRate() / slowFactor;
  }

  void slowDown(double factor) {
    this.slowFactor = factor;
  }

  boolean connected() {
    return connected;
  }

  /** The link comes up: the server starts idle. */
  void connect() {
    connected = true;
    freeAt = time.nanos();
    connectedAt = freeAt;
  }

  /** The link goes down: requests in flight fail, as a transport fails them on disconnect. */
  void disconnect() {
    connected = false;
    epoch++;
    List<CompletableFuture<SimulatedResponse>> failed = new ArrayList<>(outstanding);
    outstanding.clear();
    for (CompletableFuture<SimulatedResponse> f : failed) {
      f.completeExceptionally(new IOException("peer " + id + " disconnected"));
    }
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public CompletableFuture<? extends Response> requestHeadersByNumber(
      long origin, int amount, int skip, boolean reverse) {
    if (skip != 0 || reverse) {
      throw new UnsupportedOperationException("the simulator serves contiguous headers only");
    }
    int[] items = new int[Math.max(0, Math.min(amount, catalog.count() - (int) origin))];
    for (int i = 0; i < items.length; i++) {
      items[i] = (int) origin + i;
    }
    return serve(MessageKind.HEADERS, items);
  }

  @Override
  public CompletableFuture<? extends Response> requestHeadersByHash(
      Hash origin, int amount, int skip, boolean reverse) {
    return requestHeadersByNumber(catalog.item(origin), amount, skip, reverse);
  }

  @Override
  public CompletableFuture<? extends Response> requestBodies(List<Hash> hashes) {
    return serve(MessageKind.BODIES, items(hashes));
  }

  @Override
  public CompletableFuture<? extends Response> requestReceipts(List<Hash> hashes) {
    return serve(MessageKind.RECEIPTS, items(hashes));
  }

  private int[] items(List<Hash> hashes) {
    int[] items = new int[hashes.size()];
    for (int i = 0; i < items.length; i++) {
      items[i] = catalog.item(hashes.get(i));
    }
    return items;
  }

  private CompletableFuture<SimulatedResponse> serve(MessageKind kind, int[] items) {
    if (!connected) {
      return CompletableFuture.failedFuture(new IOException("peer " + id + " not connected"));
    }
    CompletableFuture<SimulatedResponse> answer = new CompletableFuture<>();
    outstanding.add(answer);
    if (behaviour instanceof Behaviour.Stalling stalling
        && time.nanos() - connectedAt >= stalling.afterSeconds() * NANOS_PER_SECOND) {
      return answer; // accepted, never answered
    }
    int sentEpoch = epoch;
    time.schedule(oneWay(), () -> arrive(kind, items, answer, sentEpoch));
    return answer;
  }

  /** The request reaches the peer: queue it behind the work in hand and schedule the answer. */
  private void arrive(
      MessageKind kind, int[] asked, CompletableFuture<SimulatedResponse> answer, int sentEpoch) {
    if (sentEpoch != epoch) {
      return;
    }
    int[] served = new int[Math.min(asked.length, kind.maxFetch())];
    int n = 0;
    long bytes = 0;
    for (int item : asked) {
      if (n == served.length || bytes >= SOFT_RESPONSE_LIMIT) {
        break;
      }
      if (item >= lackFrom && item < lackTo) {
        continue;
      }
      served[n++] = item;
      bytes += catalog.size(item);
    }
    if (behaviour instanceof Behaviour.Partial partial && n > 1) {
      double share =
          partial.minShare() + random.nextDouble() * (partial.maxShare() - partial.minShare());
      n = Math.max(1, (int) (n * share));
    }
    int[] items = new int[n];
    long[] payloads = new long[n];
    double serviceNanos = 0;
    for (int i = 0; i < n; i++) {
      items[i] = served[i];
      payloads[i] =
          behaviour instanceof Behaviour.Lying
              ? ~catalog.payload(served[i])
              : catalog.payload(served[i]);
      serviceNanos += itemCostNanos + catalog.size(served[i]) / bandwidth * NANOS_PER_SECOND;
    }
    long now = time.nanos();
    long start = Math.max(now, freeAt);
    freeAt = start + (long) (serviceNanos * slowFactor);
    SimulatedResponse response = new SimulatedResponse(items, payloads);
    time.schedule(
        freeAt + oneWay() - now,
        () -> {
          if (sentEpoch == epoch) {
            outstanding.remove(answer);
            answer.complete(response);
          }
        });
  }

  /** One message's latency: the base, give or take up to the jitter share of it. */
  private long oneWay() {
    return (long) (latencyNanos * (1 + jitter * (2 * random.nextDouble() - 1)));
  }
}
