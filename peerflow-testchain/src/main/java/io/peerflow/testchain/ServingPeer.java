package io.peerflow.testchain;

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
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A peer serving a {@link MemoryChain} over the core SPI, answering on a timer after a latency (so
 * on {@link io.peerflow.time.VirtualTime} in tests), with knobs for misbehaviour: headers or bodies
 * rewritten before they are sent, a head below the chain's, expired history (announced or not), or
 * no answer at all.
 *
 * <p>Thread-safe: the knobs are volatile fields (tests set them between requests, as a test's
 * sentence reads: {@code liar.bodyRewrite = b -> other}), the counters atomic.
 */
public final class ServingPeer implements RemotePeer {

  private final String id;
  private final MemoryChain chain;
  private final Timer timer;

  /** How long after a request its answer comes. */
  public volatile long latencyNanos = 10_000_000L;

  /** Applied to every header served. */
  public volatile UnaryOperator<BlockHeader> headerRewrite = UnaryOperator.identity();

  /** Applied to every body served. */
  public volatile UnaryOperator<BlockBody> bodyRewrite = UnaryOperator.identity();

  /** When set, requests are accepted and never answered. */
  public volatile boolean stalling;

  /** Nothing above this block is served. */
  public volatile long head = Long.MAX_VALUE;

  /**
   * Bodies and receipts below this block are not served (history expiry); headers still are, as
   * nodes that expire history keep them.
   */
  public volatile long earliest;

  /**
   * Whether {@link #servedFrom()} announces {@link #earliest}, as an eth/69 peer does; when false
   * the peer behaves like an eth/68 one, which announces nothing and answers empty.
   */
  public volatile boolean announcesEarliest = true;

  /**
   * When set, headers below {@link #earliest} are not served either, as by a node whose store
   * starts there (one filled from the network, or from era files of recent epochs only).
   */
  public volatile boolean headersFromEarliest;

  /** Bodies and receipts asked for below {@link #earliest}. */
  public final AtomicLong askedBelowEarliest = new AtomicLong();

  /** Items served so far, by kind. */
  public final AtomicLong headersServed = new AtomicLong();

  public final AtomicLong bodiesServed = new AtomicLong();
  public final AtomicLong receiptsServed = new AtomicLong();

  /** Serves {@code chain}, answering on {@code timer}'s thread. */
  public ServingPeer(String id, MemoryChain chain, Timer timer) {
    this.id = id;
    this.chain = chain;
    this.timer = timer;
  }

  /** Serves consecutive {@code blocks} with optional {@code receipts} (null if none). */
  public ServingPeer(String id, List<Block> blocks, List<BlockReceipts> receipts, Timer timer) {
    this(id, MemoryChain.of(blocks, receipts), timer);
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

  private boolean serves(long number) {
    return chain.holds(number) && number <= head;
  }

  /**
   * Whether the body and receipts of block {@code number} are served; counts those that are not.
   */
  private boolean servesHistory(long number) {
    if (number < earliest) {
      askedBelowEarliest.incrementAndGet();
      return false;
    }
    return serves(number);
  }

  @Override
  public long servedFrom() {
    return announcesEarliest ? earliest : 0;
  }

  @Override
  public CompletableFuture<HeadersResponse> requestHeadersByNumber(
      long origin, int amount, int skip, boolean reverse) {
    return answer(
        () -> {
          List<BlockHeader> out = new ArrayList<>();
          for (long n = origin;
              out.size() < amount && serves(n) && (!headersFromEarliest || n >= earliest);
              n += reverse ? -(skip + 1L) : skip + 1L) {
            out.add(headerRewrite.apply(chain.block(n).header()));
          }
          headersServed.addAndGet(out.size());
          return new HeadersResponse(out);
        });
  }

  @Override
  public CompletableFuture<HeadersResponse> requestHeadersByHash(
      Hash origin, int amount, int skip, boolean reverse) {
    OptionalLong n = chain.number(origin);
    if (n.isEmpty()) {
      return answer(() -> new HeadersResponse(List.of()));
    }
    return requestHeadersByNumber(n.getAsLong(), amount, skip, reverse);
  }

  @Override
  public CompletableFuture<BodiesResponse> requestBodies(List<Hash> hashes) {
    return answer(
        () -> {
          List<BlockBody> out = new ArrayList<>();
          for (Hash h : hashes) {
            OptionalLong n = chain.number(h);
            if (n.isPresent() && servesHistory(n.getAsLong())) {
              out.add(bodyRewrite.apply(chain.block(n.getAsLong()).body()));
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
            OptionalLong n = chain.number(h);
            if (n.isPresent() && chain.hasReceipts() && servesHistory(n.getAsLong())) {
              out.add(chain.blockReceipts(n.getAsLong()));
            }
          }
          receiptsServed.addAndGet(out.size());
          return new ReceiptsResponse(out);
        });
  }
}
