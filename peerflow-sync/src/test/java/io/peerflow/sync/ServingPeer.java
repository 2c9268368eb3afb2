package io.peerflow.sync;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.Block;
import io.peerflow.chain.block.BlockBody;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.block.BlockReceipts;
import io.peerflow.chain.response.BodiesResponse;
import io.peerflow.chain.response.HeadersResponse;
import io.peerflow.chain.response.ReceiptsResponse;
import io.peerflow.peers.RemotePeer;
import io.peerflow.peers.Response;
import io.peerflow.time.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A peer serving an in-memory chain over the core SPI, answering on a timer after a latency (so on
 * {@link io.peerflow.time.VirtualTime} in tests), with knobs for misbehaviour: headers or bodies
 * rewritten before they are sent, or no answer at all.
 */
final class ServingPeer implements RemotePeer {

  private final String id;
  private final List<BlockHeader> headers;
  private final Map<Hash, Integer> index = new HashMap<>();
  private final long first;
  private final List<BlockBody> bodies;
  private final List<BlockReceipts> receipts;
  private final Timer timer;
  volatile UnaryOperator<BlockHeader> headerRewrite = UnaryOperator.identity();
  volatile UnaryOperator<BlockBody> bodyRewrite = UnaryOperator.identity();
  volatile boolean stalling;
  volatile long head = Long.MAX_VALUE;

  /** How long after a request its answer comes. */
  volatile long latencyNanos = 10_000_000L;

  final AtomicLong headersServed = new AtomicLong();
  final AtomicLong bodiesServed = new AtomicLong();
  final AtomicLong receiptsServed = new AtomicLong();

  /** Serves {@code chain} (index = block number) with optional receipts (null if none). */
  ServingPeer(String id, List<Block> chain, List<BlockReceipts> receipts, Timer timer) {
    this.id = id;
    this.headers = new ArrayList<>();
    this.bodies = new ArrayList<>();
    for (Block b : chain) {
      index.put(b.header().hash(), headers.size());
      headers.add(b.header());
      bodies.add(b.body());
    }
    this.first = chain.isEmpty() ? 0 : chain.get(0).header().number();
    this.receipts = receipts;
    this.timer = timer;
  }

  @Override
  public String id() {
    return id;
  }

  private <T extends Response> CompletableFuture<T> answer(Supplier<T> s) {
    CompletableFuture<T> f = new CompletableFuture<>();
    if (!stalling) {
      timer.schedule(latencyNanos, () -> f.complete(s.get()));
    }
    return f;
  }

  @Override
  public CompletableFuture<HeadersResponse> requestHeadersByNumber(
      long origin, int amount, int skip, boolean reverse) {
    return answer(
        () -> {
          List<BlockHeader> out = new ArrayList<>();
          for (long n = origin;
              out.size() < amount && n >= first && n - first < headers.size() && n <= head;
              n += reverse ? -(skip + 1) : skip + 1) {
            out.add(headerRewrite.apply(headers.get((int) (n - first))));
          }
          headersServed.addAndGet(out.size());
          return new HeadersResponse(out);
        });
  }

  @Override
  public CompletableFuture<HeadersResponse> requestHeadersByHash(
      Hash origin, int amount, int skip, boolean reverse) {
    Integer n = index.get(origin);
    if (n == null) {
      return answer(() -> new HeadersResponse(List.of()));
    }
    return requestHeadersByNumber(n + first, amount, skip, reverse);
  }

  @Override
  public CompletableFuture<BodiesResponse> requestBodies(List<Hash> hashes) {
    return answer(
        () -> {
          List<BlockBody> out = new ArrayList<>();
          for (Hash h : hashes) {
            Integer n = index.get(h);
            if (n != null && n + first <= head) {
              out.add(bodyRewrite.apply(bodies.get(n)));
            }
          }
          bodiesServed.addAndGet(out.size());
          return new BodiesResponse(out);
        });
  }

  @Override
  public CompletableFuture<ReceiptsResponse> requestReceipts(List<Hash> hashes) {
    return answer(
        () -> {
          List<BlockReceipts> out = new ArrayList<>();
          for (Hash h : hashes) {
            Integer n = index.get(h);
            if (n != null && receipts != null && n + first <= head) {
              out.add(receipts.get(n));
            }
          }
          receiptsServed.addAndGet(out.size());
          return new ReceiptsResponse(out);
        });
  }
}
