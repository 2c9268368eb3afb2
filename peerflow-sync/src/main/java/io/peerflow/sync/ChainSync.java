package io.peerflow.sync;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.concurrent.Failures;
import io.peerflow.fetch.DropReason;
import io.peerflow.fetch.FetchPolicy;
import io.peerflow.fetch.FetchScheduler;
import io.peerflow.fetch.FetchSummary;
import io.peerflow.fetch.PeerDropper;
import io.peerflow.fetch.PeerStats;
import io.peerflow.peers.MessageKind;
import io.peerflow.peers.PeerConnection;
import io.peerflow.peers.PeerException;
import io.peerflow.peers.PeerSet;
import io.peerflow.store.ChainStore;
import io.peerflow.store.Part;
import io.peerflow.store.WriteBatch;
import io.peerflow.time.Timer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads a range of blocks from the peers of a {@link PeerSet} into a {@link ChainStore}: finds
 * the anchor (block {@code to}, by hash or by the peers' majority), fetches headers in parallel and
 * links them top-down to it, and behind them fetches bodies and receipts checked against those
 * headers, each kind driven by its own {@link FetchScheduler}. Nothing is stored before it is
 * verified; a run that stops (crash, kill, no peers left) resumes from what is stored, re-fetching
 * nothing that was.
 *
 * <p>Transport-independent: peers are whatever {@link io.peerflow.peers.RemotePeer}s the embedder
 * registers, answering with {@link io.peerflow.chain.response.HeadersResponse}, {@link
 * io.peerflow.chain.response.BodiesResponse} and {@link
 * io.peerflow.chain.response.ReceiptsResponse}. Peers may join and leave the set at any time during
 * the run.
 *
 * <p>Thread-safe: {@link #start()} once; {@link #progress()} and {@link #cancel()} from any thread.
 * The work runs on the timer's thread and the threads answers arrive on.
 */
public final class ChainSync {

  private static final Logger LOG = LoggerFactory.getLogger(ChainSync.class);

  private final PeerSet peers;
  private final ChainStore store;
  private final Timer timer;
  private final long from;
  private final long to;
  private final Hash anchorHash;
  private final Set<Part> parts;
  private final String policy;
  private final PeerDropper dropper;
  private final long anchorTimeoutNanos;

  private final Map<String, String> drops = new ConcurrentHashMap<>();
  private final Map<String, String> lefts = new ConcurrentHashMap<>();
  private final Map<Part, FetchScheduler<?>> schedulers = new ConcurrentHashMap<>();
  private final Map<Part, PartQueue> partQueues = new ConcurrentHashMap<>();
  private final Map<Part, Long> resumed = new ConcurrentHashMap<>();
  private final CompletableFuture<SyncReport> done = new CompletableFuture<>();
  private volatile HeaderQueue headerQueue;
  private volatile long headerTop;
  private volatile long startNanos;
  private volatile boolean cancelled;
  private volatile long anchorFetched;

  private ChainSync(Builder b) {
    this.peers = b.peers;
    this.store = b.store;
    this.timer = b.timer;
    this.from = b.from;
    this.to = b.to;
    this.anchorHash = b.anchorHash;
    this.parts = EnumSet.copyOf(b.parts);
    this.parts.add(Part.HEADERS);
    this.policy = b.policy;
    this.dropper = b.dropper;
    this.anchorTimeoutNanos = b.anchorTimeoutNanos;
  }

  /** A builder for a sync of {@code peers} into {@code store}, waiting on {@code timer}. */
  public static Builder builder(PeerSet peers, ChainStore store, Timer timer) {
    return new Builder(peers, store, timer);
  }

  /**
   * Starts the sync; call once. The future completes with the report once every block of the range
   * is stored with every requested part, or exceptionally with a {@link SyncException}.
   */
  public CompletableFuture<SyncReport> start() {
    startNanos = timer.clock().nanos();
    AnchorResolver resolver = new AnchorResolver(peers, timer, anchorTimeoutNanos, this::dropLate);
    CompletableFuture<BlockHeader> anchor =
        anchorHash != null ? resolver.byHash(anchorHash, to) : resolver.byNumber(to);
    anchor
        .thenAccept(this::run)
        .exceptionally(
            e -> {
              fail(e);
              return null;
            });
    return done;
  }

  /** Stops the run; what is stored stays. The future fails with a {@link CancellationException}. */
  public void cancel() {
    cancelled = true;
    schedulers.values().forEach(FetchScheduler::cancel);
    done.completeExceptionally(new CancellationException("sync cancelled"));
  }

  private void run(BlockHeader anchor) {
    if (anchor.number() < from) {
      throw new SyncException("the anchor #" + anchor.number() + " is below --from " + from);
    }
    long top = anchor.number();
    if (!store.canonicalHash(top).map(anchor.hash()::equals).orElse(false)) {
      anchorFetched = 1;
      try (WriteBatch b = store.batch()) {
        b.putHeader(top, anchor.hash(), anchor.rlp());
        b.commit();
      }
    }
    headerTop = top;
    for (Part p : parts) {
      if (p != Part.HEADERS) {
        resumed.put(p, (top - from + 1) - store.countMissing(p, from, top));
        partQueues.put(p, new PartQueue(p, store, from, top, top));
      }
    }
    HeaderQueue hq =
        new HeaderQueue(
            from,
            top - 1,
            anchor.parentHash(),
            new StoredChain(store),
            new HeaderQueue.HeaderSink() {
              @Override
              public void store(List<BlockHeader> headers) {
                storeHeaders(headers);
              }

              @Override
              public void verifiedDownTo(long number) {
                partQueues.values().forEach(q -> q.headersVerifiedDownTo(number));
                wakeParts();
              }
            },
            this::dropLate);
    headerQueue = hq;
    List<CompletableFuture<FetchSummary>> runs = new ArrayList<>();
    FetchScheduler<HeaderQueue.Segment> hs = scheduler(hq);
    schedulers.put(Part.HEADERS, hs);
    partQueues.forEach((p, q) -> schedulers.put(p, scheduler(q)));
    if (cancelled) {
      return;
    }
    runs.add(
        hs.start()
            .whenComplete(
                (s, e) -> {
                  partQueues.values().forEach(PartQueue::headersFinished);
                  wakeParts();
                }));
    partQueues.keySet().forEach(p -> runs.add(schedulers.get(p).start()));
    for (CompletableFuture<FetchSummary> r : runs) {
      r.exceptionally(
          e -> {
            fail(e);
            return null;
          });
    }
    CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new))
        .thenCompose(v -> stats())
        .thenAccept(stats -> finish(anchor, stats))
        .exceptionally(
            e -> {
              fail(e);
              return null;
            });
  }

  private <R extends io.peerflow.fetch.Reservation> FetchScheduler<R> scheduler(
      io.peerflow.fetch.FetchQueue<R> q) {
    return FetchScheduler.builder(peers, q, timer)
        .policy(FetchPolicy.byName(policy))
        .dropper(this::onDrop)
        .build();
  }

  private void storeHeaders(List<BlockHeader> headers) {
    try (WriteBatch b = store.batch()) {
      for (BlockHeader h : headers) {
        b.putHeader(h.number(), h.hash(), h.rlp());
      }
      b.commit();
    }
  }

  private void wakeParts() {
    for (Part p : partQueues.keySet()) {
      FetchScheduler<?> s = schedulers.get(p);
      if (s != null) {
        s.wake();
      }
    }
  }

  /**
   * Tells the sync why a peer's connection ended without the sync dropping it (the transport's
   * words, e.g. "disconnected: breach of protocol (frame MAC mismatch)"), for the progress table
   * and the report; the embedder unregisters the peer as usual. Thread-safe; a peer the sync
   * dropped keeps its drop reason.
   */
  public void peerLeft(String id, String why) {
    lefts.put(id, why);
  }

  private void onDrop(PeerConnection peer, DropReason reason, String detail) {
    String why = detail == null || detail.isEmpty() ? reason.text() : reason.text() + ": " + detail;
    drops.putIfAbsent(peer.id(), why);
    LOG.info("Dropped peer {}: {}", shortId(peer.id()), why);
    dropper.drop(peer, reason, detail);
  }

  /** Drops a peer outside a scheduler's own delivery: a late link failure or a minority anchor. */
  private void dropLate(String id, String why) {
    try {
      PeerConnection c = peers.unregister(id);
      onDrop(c, DropReason.INVALID_DELIVERY, why);
    } catch (PeerException e) {
      // Already gone: a scheduler or the transport removed it first.
      drops.putIfAbsent(id, DropReason.INVALID_DELIVERY.text() + ": " + why);
    }
  }

  private void fail(Throwable e) {
    Throwable cause = Failures.unwrap(e);
    if (done.isDone()) {
      return;
    }
    schedulers.values().forEach(FetchScheduler::cancel);
    if (cause instanceof CancellationException) {
      done.completeExceptionally(cause);
    } else if (cause instanceof SyncException) {
      done.completeExceptionally(cause);
    } else if (cause instanceof io.peerflow.fetch.FetchException fe) {
      done.completeExceptionally(
          new SyncException(fe.getMessage() + " while fetching " + kindOf(fe), fe));
    } else {
      done.completeExceptionally(new SyncException(String.valueOf(cause.getMessage()), cause));
    }
  }

  private String kindOf(io.peerflow.fetch.FetchException fe) {
    return "blocks #" + from + "..#" + (headerTop == 0 ? to : headerTop);
  }

  private CompletableFuture<Map<Part, List<PeerStats>>> stats() {
    Map<Part, CompletableFuture<List<PeerStats>>> fs = new LinkedHashMap<>();
    schedulers.forEach((p, s) -> fs.put(p, s.stats()));
    return CompletableFuture.allOf(fs.values().toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              Map<Part, List<PeerStats>> out = new LinkedHashMap<>();
              fs.forEach((p, f) -> out.put(p, f.join()));
              return out;
            });
  }

  private void finish(BlockHeader anchor, Map<Part, List<PeerStats>> stats) {
    for (Part p : parts) {
      long missing = store.countMissing(p, from, anchor.number());
      if (missing != 0) {
        throw new SyncException(
            missing + " blocks still lack " + p.name().toLowerCase() + " after the run");
      }
    }
    double seconds = (timer.clock().nanos() - startNanos) / 1e9;
    Map<String, Long> fetched = new LinkedHashMap<>();
    for (Part p : parts) {
      fetched.put(
          name(p),
          p == Part.HEADERS
              ? headerQueue.fetched() + anchorFetched
              : (anchor.number() - from + 1) - resumed.getOrDefault(p, 0L));
    }
    done.complete(
        new SyncReport(
            from,
            anchor.number(),
            anchor.number() - from + 1,
            anchor.hash(),
            seconds,
            fetched,
            PeerReports.build(stats, drops, lefts, peers.peers())));
  }

  /**
   * A snapshot of the run for progress displays, taken from every scheduler's thread. Completes
   * with zeros before the anchor is known.
   */
  public CompletableFuture<SyncProgress> progress() {
    long elapsed = timer.clock().nanos() - startNanos;
    Map<String, Long> total = new LinkedHashMap<>();
    Map<String, Long> doneCount = new LinkedHashMap<>();
    Map<String, Long> resumedOut = new LinkedHashMap<>();
    HeaderQueue hq = headerQueue;
    long blocks = hq == null ? 0 : headerTop - from + 1;
    for (Part p : parts) {
      total.put(name(p), blocks);
      resumedOut.put(name(p), resumed.getOrDefault(p, 0L));
      if (p == Part.HEADERS) {
        doneCount.put(name(p), hq == null ? 0 : headerTop - Math.max(hq.frontier(), from - 1));
      } else {
        PartQueue q = partQueues.get(p);
        doneCount.put(name(p), q == null ? 0 : q.done());
      }
    }
    return stats()
        .thenApply(
            stats -> {
              Map<String, long[]> counts = new LinkedHashMap<>();
              stats
                  .values()
                  .forEach(
                      list ->
                          list.forEach(
                              s -> {
                                long[] c = counts.computeIfAbsent(s.id(), k -> new long[2]);
                                c[0] += s.itemsAccepted();
                                c[1] += s.timeouts();
                              }));
              long target = peers.trackers().targetRoundTrip();
              List<SyncProgress.LivePeer> live = new ArrayList<>();
              for (PeerConnection c : peers.peers()) {
                Map<String, Integer> cap = new LinkedHashMap<>();
                for (Part p : parts) {
                  cap.put(name(p), c.capacity(kindOf(p), target));
                }
                long[] n = counts.getOrDefault(c.id(), new long[2]);
                live.add(
                    new SyncProgress.LivePeer(
                        c.id(), cap, c.tracker().roundTrip() / 1e6, n[0], n[1], null, null));
              }
              drops.forEach(
                  (id, why) -> {
                    long[] n = counts.getOrDefault(id, new long[2]);
                    live.add(new SyncProgress.LivePeer(id, Map.of(), 0, n[0], n[1], why, null));
                  });
              lefts.forEach(
                  (id, why) -> {
                    if (!drops.containsKey(id) && peers.peer(id).isEmpty()) {
                      long[] n = counts.getOrDefault(id, new long[2]);
                      live.add(new SyncProgress.LivePeer(id, Map.of(), 0, n[0], n[1], null, why));
                    }
                  });
              return new SyncProgress(total, doneCount, resumedOut, elapsed, live);
            });
  }

  static String name(Part p) {
    return p.name().toLowerCase(java.util.Locale.ROOT);
  }

  static MessageKind kindOf(Part p) {
    return switch (p) {
      case HEADERS -> MessageKind.HEADERS;
      case BODIES -> MessageKind.BODIES;
      case RECEIPTS -> MessageKind.RECEIPTS;
    };
  }

  static String shortId(String id) {
    return id.length() > 16 ? id.substring(0, 16) : id;
  }

  /** Collects a sync's settings; not thread-safe. */
  public static final class Builder {
    private final PeerSet peers;
    private final ChainStore store;
    private final Timer timer;
    private long from = 1;
    private long to = -1;
    private Hash anchorHash;
    private Set<Part> parts = EnumSet.allOf(Part.class);
    private String policy = "pipelined";
    private PeerDropper dropper = PeerDropper.none();
    private long anchorTimeoutNanos = 15_000_000_000L;

    private Builder(PeerSet peers, ChainStore store, Timer timer) {
      this.peers = Objects.requireNonNull(peers);
      this.store = Objects.requireNonNull(store);
      this.timer = Objects.requireNonNull(timer);
    }

    /**
     * Blocks {@code from} to {@code to}, both included; the peers' majority decides block {@code
     * to}.
     */
    public Builder range(long from, long to) {
      if (from < 0 || to < from) {
        throw new IllegalArgumentException("invalid range " + from + ".." + to);
      }
      this.from = from;
      this.to = to;
      return this;
    }

    /**
     * Verifies the range against the block with this hash (its number is the top of the range; if
     * {@link #range} was also given, the two must agree).
     */
    public Builder anchor(long from, Hash hash) {
      if (from < 0) {
        throw new IllegalArgumentException("invalid --from " + from);
      }
      this.from = from;
      this.anchorHash = Objects.requireNonNull(hash);
      return this;
    }

    /**
     * Which parts to fetch; headers are always fetched, since the others are checked against them.
     */
    public Builder parts(Set<Part> parts) {
      this.parts = parts.isEmpty() ? EnumSet.of(Part.HEADERS) : EnumSet.copyOf(parts);
      return this;
    }

    /** The fetch policy by name ({@code pipelined}, {@code geth}, {@code fixed}). */
    public Builder policy(String name) {
      FetchPolicy.byName(name);
      this.policy = name;
      return this;
    }

    /** How dropped peers are disconnected. */
    public Builder dropper(PeerDropper dropper) {
      this.dropper = Objects.requireNonNull(dropper);
      return this;
    }

    /** How long to wait for peers' answers about the anchor. */
    public Builder anchorTimeout(long nanos) {
      this.anchorTimeoutNanos = nanos;
      return this;
    }

    public ChainSync build() {
      if (to < 0 && anchorHash == null) {
        throw new IllegalStateException("a sync needs a range or an anchor hash");
      }
      return new ChainSync(this);
    }
  }
}
