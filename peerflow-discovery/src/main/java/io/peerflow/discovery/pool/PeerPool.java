package io.peerflow.discovery.pool;

import io.peerflow.concurrent.Failures;
import io.peerflow.concurrent.SerialExecutor;
import io.peerflow.rlpx.Enode;
import io.peerflow.rlpx.NodeId;
import io.peerflow.time.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps up to a number of peers connected: dials candidates as slots free up, backs off from
 * candidates that failed or were full, and asks for more candidates when it runs out. Thread-safe:
 * its state is confined to one {@link SerialExecutor} over the injected {@link Timer}, and every
 * method may be called from any thread.
 *
 * <p>It knows nothing of the protocol: a {@code Dialer} turns an enode into a connected peer of
 * type {@code P} (an eth session checked at Status), and {@code joined} receives each new peer (to
 * register it with the running scheduler). A peer that leaves, for whatever reason, is reported
 * with {@link #left}, and its slot goes to the next candidate.
 *
 * @param <P> the connected peer type
 */
public final class PeerPool<P> {

  private static final Logger LOG = LoggerFactory.getLogger(PeerPool.class);

  /** Dials one candidate. */
  public interface Dialer<P> {
    /**
     * Connects to {@code enode}; fails if it cannot be reached, is full, or is of another chain.
     */
    CompletableFuture<P> dial(Enode enode);
  }

  /**
   * A failed or full candidate waits 30 s before its first retry: long enough that a full node has
   * had time to lose a peer, short enough to matter within one sync.
   */
  static final long BACKOFF_BASE = TimeUnit.SECONDS.toNanos(30);

  /** Each further failure doubles the wait, up to 10 minutes: a dead node costs little. */
  static final long BACKOFF_MAX = TimeUnit.MINUTES.toNanos(10);

  /**
   * Dials in flight at once: a handful finds a free peer quickly among mostly full ones without
   * opening sockets by the hundred.
   */
  static final int MAX_DIALING = 8;

  /** The candidate source is asked for more at most every 10 s, not on every failed dial. */
  static final long REFILL_INTERVAL = TimeUnit.SECONDS.toNanos(10);

  private final int maxPeers;
  private final Dialer<P> dialer;
  private final BiConsumer<Enode, P> joined;
  private final Runnable wantMore;
  private final Timer timer;
  private final SerialExecutor executor;

  // Confined to the executor.
  private final Map<NodeId, Candidate> candidates = new LinkedHashMap<>();
  private final Set<NodeId> dialing = new HashSet<>();
  private final Map<NodeId, Enode> connected = new HashMap<>();
  private long lastRefill;
  private boolean refilled;
  private Timer.Timeout wake;
  private boolean closed;

  /**
   * A pool keeping up to {@code maxPeers} connected through {@code dialer}, handing each new peer
   * to {@code joined} and calling {@code wantMore} (on the pool's thread; it must not block) when
   * it has no candidate left to try.
   */
  public PeerPool(
      int maxPeers, Dialer<P> dialer, BiConsumer<Enode, P> joined, Runnable wantMore, Timer timer) {
    if (maxPeers < 1) {
      throw new IllegalArgumentException("maxPeers must be at least 1: " + maxPeers);
    }
    this.maxPeers = maxPeers;
    this.dialer = Objects.requireNonNull(dialer, "dialer");
    this.joined = Objects.requireNonNull(joined, "joined");
    this.wantMore = Objects.requireNonNull(wantMore, "wantMore");
    this.timer = Objects.requireNonNull(timer, "timer");
    this.executor = new SerialExecutor(timer, e -> LOG.warn("peer pool task failed", e));
  }

  /** A node that may be dialled; one already known keeps its backoff. */
  public void offer(Enode candidate) {
    executor.execute(
        () -> {
          candidates.putIfAbsent(candidate.id(), new Candidate(candidate));
          fill();
        });
  }

  /** A peer that was connected outside the pool (for example dialled at start) and holds a slot. */
  public void connected(Enode peer) {
    executor.execute(
        () -> {
          candidates.putIfAbsent(peer.id(), new Candidate(peer));
          connected.put(peer.id(), peer);
        });
  }

  /** A connected peer left or was dropped: its slot is free, and it may be retried after a wait. */
  public void left(NodeId id) {
    executor.execute(
        () -> {
          if (connected.remove(id) != null) {
            Candidate c = candidates.get(id);
            if (c != null) {
              c.failed(timer.clock().nanos());
            }
            fill();
          }
        });
  }

  /** Stops dialling; peers already connected are not touched. */
  public void close() {
    executor.execute(
        () -> {
          closed = true;
          if (wake != null) {
            wake.cancel();
          }
        });
  }

  /** A snapshot: connected peers, dials in flight, candidates known. */
  public CompletableFuture<Stats> stats() {
    CompletableFuture<Stats> f = new CompletableFuture<>();
    executor.execute(
        () -> f.complete(new Stats(connected.size(), dialing.size(), candidates.size())));
    return f;
  }

  /** How the pool stands. */
  public record Stats(int connected, int dialing, int candidates) {}

  private void fill() {
    if (closed) {
      return;
    }
    long now = timer.clock().nanos();
    long nextRetry = Long.MAX_VALUE;
    List<Candidate> ready = new ArrayList<>();
    for (Candidate c : candidates.values()) {
      NodeId id = c.enode.id();
      if (connected.containsKey(id) || dialing.contains(id)) {
        continue;
      }
      if (c.retryAt <= now) {
        ready.add(c);
      } else {
        nextRetry = Math.min(nextRetry, c.retryAt);
      }
    }
    for (Candidate c : ready) {
      if (connected.size() + dialing.size() >= maxPeers || dialing.size() >= MAX_DIALING) {
        break;
      }
      dial(c);
    }
    if (wake != null) {
      wake.cancel();
      wake = null;
    }
    if (connected.size() + dialing.size() >= maxPeers) {
      return;
    }
    boolean outOfCandidates = ready.size() <= dialing.size();
    long wakeAt = nextRetry;
    if (outOfCandidates) {
      if (!refilled || now - lastRefill >= REFILL_INTERVAL) {
        lastRefill = now;
        refilled = true;
        wantMore.run();
      }
      wakeAt = Math.min(wakeAt, lastRefill + REFILL_INTERVAL);
    }
    // Otherwise the completion of a dial in flight calls fill again.
    if (wakeAt != Long.MAX_VALUE) {
      wake = timer.schedule(Math.max(1, wakeAt - now), () -> executor.execute(this::fill));
    }
  }

  private void dial(Candidate c) {
    NodeId id = c.enode.id();
    dialing.add(id);
    CompletableFuture<P> attempt;
    try {
      attempt = dialer.dial(c.enode);
    } catch (RuntimeException e) {
      attempt = CompletableFuture.failedFuture(e);
    }
    attempt.whenComplete(
        (peer, error) ->
            executor.execute(
                () -> {
                  dialing.remove(id);
                  if (error != null) {
                    c.failed(timer.clock().nanos());
                    LOG.debug("dial {} failed: {}", c.enode, Failures.describe(error));
                  } else if (closed) {
                    return;
                  } else {
                    c.failures = 0;
                    connected.put(id, c.enode);
                    joined.accept(c.enode, peer);
                  }
                  fill();
                }));
  }

  /** A node we may dial, and when. */
  private static final class Candidate {
    final Enode enode;
    int failures;
    long retryAt = Long.MIN_VALUE;

    Candidate(Enode enode) {
      this.enode = enode;
    }

    void failed(long now) {
      failures++;
      long wait = BACKOFF_BASE << Math.min(failures - 1, 10);
      retryAt = now + Math.min(wait, BACKOFF_MAX);
    }
  }
}
