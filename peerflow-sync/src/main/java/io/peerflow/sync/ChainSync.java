package io.peerflow.sync;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.concurrent.Failures;
import io.peerflow.concurrent.SerialExecutor;
import io.peerflow.fetch.FetchException;
import io.peerflow.fetch.FetchPolicy;
import io.peerflow.fetch.FetchScheduler;
import io.peerflow.fetch.PeerDropper;
import io.peerflow.fetch.PeerStats;
import io.peerflow.peers.PeerSet;
import io.peerflow.store.ChainStore;
import io.peerflow.store.Part;
import io.peerflow.time.Timer;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

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
 * <p>Concurrency: confined, as a {@link FetchScheduler} is, to one serial executor over the
 * injected {@link Timer}. The run, every callback (the anchor's answers, the schedulers' ends,
 * drops), {@link #progress()}, {@link #peerLeft} and {@link #cancel()} are tasks on it, so its
 * state is plain fields; the public methods are thread-safe and return at once. Store work (the
 * anchor's write, the scans for what is already stored, the queues' construction) runs there too,
 * never on the thread that completed a peer's answer. Each scheduler, and the queue it drives, has
 * its own executor on the same timer. On {@link io.peerflow.time.VirtualTime} the whole sync runs
 * on the thread that moves time.
 */
public final class ChainSync {

  /**
   * How long peers may take to answer about the anchor: a single header each, so any live peer
   * answers in well under a second, but a peer still finishing its handshake or busy serving others
   * deserves longer; one that has not answered in 15 s is left out of the vote rather than holding
   * up the start.
   */
  static final long DEFAULT_ANCHOR_TIMEOUT_NANOS = 15_000_000_000L;

  /** What a sync is asked to do; the range's top is {@code to} or the anchor hash's block. */
  record Settings(
      PeerSet peers,
      ChainStore store,
      Timer timer,
      long from,
      long to,
      Hash anchorHash,
      Set<Part> parts,
      Supplier<? extends FetchPolicy> policy,
      long anchorTimeoutNanos) {}

  private final Settings settings;
  private final SerialExecutor serial;
  private final CompletableFuture<SyncReport> done = new CompletableFuture<>();

  // Everything below is confined to the serial executor.
  private final PeerDrops drops;

  /** Drops found on other threads (the schedulers', the header queue's) hop here first. */
  private final PeerDropper hoppingDropper;

  private boolean started;
  private long startNanos;

  /** The run after the anchor; null until the anchor is known. */
  private RangeFetch fetch;

  private ChainSync(Builder b) {
    Set<Part> parts = EnumSet.copyOf(b.parts);
    parts.add(Part.HEADERS);
    this.settings =
        new Settings(
            b.peers,
            b.store,
            b.timer,
            b.from,
            b.to,
            b.anchorHash,
            Collections.unmodifiableSet(parts),
            b.policy,
            b.anchorTimeoutNanos);
    this.serial = new SerialExecutor(b.timer, this::fail);
    this.drops = new PeerDrops(b.peers, b.dropper);
    this.hoppingDropper =
        (peer, reason, detail) -> serial.execute(() -> drops.drop(peer, reason, detail));
  }

  /** A builder for a sync of {@code peers} into {@code store}, waiting on {@code timer}. */
  public static Builder builder(PeerSet peers, ChainStore store, Timer timer) {
    return new Builder(peers, store, timer);
  }

  /**
   * Starts the sync; later calls return the same future. The future completes with the report once
   * every block of the range is stored with every requested part, or exceptionally with a {@link
   * SyncException} (or a {@link CancellationException} after {@link #cancel()}).
   */
  public CompletableFuture<SyncReport> start() {
    serial.execute(this::begin);
    return done;
  }

  /**
   * Stops the run; what is stored stays. The future fails with a {@link CancellationException} as
   * soon as the sync's executor has run the request.
   */
  public void cancel() {
    serial.execute(() -> fail(new CancellationException("sync cancelled")));
  }

  /**
   * Tells the sync why a peer's connection ended without the sync dropping it (the transport's
   * words, e.g. "disconnected: breach of protocol (frame MAC mismatch)"), for the progress table
   * and the report; the embedder unregisters the peer as usual. Thread-safe; a peer the sync
   * dropped keeps its drop reason.
   */
  public void peerLeft(String id, String why) {
    serial.execute(() -> drops.left(id, why));
  }

  private void begin() {
    if (started || done.isDone()) {
      return;
    }
    started = true;
    startNanos = settings.timer().clock().nanos();
    AnchorResolver resolver =
        new AnchorResolver(
            settings.peers(), settings.timer(), serial, settings.anchorTimeoutNanos(), drops);
    CompletableFuture<BlockHeader> anchor =
        settings.anchorHash() != null
            ? resolver.byHash(settings.anchorHash(), settings.to())
            : resolver.byNumber(settings.to());
    anchor
        .thenAcceptAsync(this::run, serial)
        .whenCompleteAsync(
            (v, e) -> {
              if (e != null) {
                fail(e);
              }
            },
            serial);
  }

  private void run(BlockHeader anchor) {
    if (done.isDone()) {
      return; // cancelled while the peers were asked
    }
    fetch = new RangeFetch(settings, serial, drops, hoppingDropper, anchor);
    fetch
        .start(startNanos)
        .whenCompleteAsync(
            (report, e) -> {
              if (e != null) {
                fail(e);
              } else {
                done.complete(report);
              }
            },
            serial);
  }

  private void fail(Throwable e) {
    Throwable cause = Failures.unwrap(e);
    if (done.isDone()) {
      return;
    }
    if (fetch != null) {
      fetch.cancel();
    }
    if (cause instanceof CancellationException || cause instanceof SyncException) {
      done.completeExceptionally(cause);
    } else if (cause instanceof FetchException fe) {
      long top = fetch == null ? settings.to() : fetch.top();
      done.completeExceptionally(
          new SyncException(
              fe.getMessage() + " while fetching blocks #" + settings.from() + "..#" + top, fe));
    } else {
      done.completeExceptionally(new SyncException(Failures.describe(cause), cause));
    }
  }

  /**
   * A snapshot of the run for progress displays, taken on the sync's executor and every
   * scheduler's. Counts are zeros before the anchor is known. Thread-safe.
   */
  public CompletableFuture<SyncProgress> progress() {
    CompletableFuture<SyncProgress> out = new CompletableFuture<>();
    serial.execute(
        () -> {
          long elapsed = settings.timer().clock().nanos() - startNanos;
          Map<Part, Long> total = new EnumMap<>(Part.class);
          long blocks = fetch == null ? 0 : fetch.top() - settings.from() + 1;
          settings.parts().forEach(p -> total.put(p, blocks));
          Map<Part, Long> stored = fetch == null ? zeros() : fetch.done();
          Map<Part, Long> resumed = fetch == null ? zeros() : fetch.resumed();
          CompletableFuture<Map<Part, List<PeerStats>>> stats =
              fetch == null ? CompletableFuture.completedFuture(Map.of()) : fetch.stats();
          stats.whenCompleteAsync(
              (s, e) -> {
                if (e != null) {
                  out.completeExceptionally(e);
                  return;
                }
                PeerSet peers = settings.peers();
                out.complete(
                    new SyncProgress(
                        total,
                        stored,
                        resumed,
                        elapsed,
                        LivePeers.build(
                            settings.parts(),
                            s,
                            peers.peers(),
                            peers.trackers().targetRoundTrip(),
                            drops.drops(),
                            drops.lefts())));
              },
              serial);
        });
    return out;
  }

  private Map<Part, Long> zeros() {
    Map<Part, Long> out = new EnumMap<>(Part.class);
    settings.parts().forEach(p -> out.put(p, 0L));
    return out;
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
    private Supplier<? extends FetchPolicy> policy = FetchPolicy::standard;
    private PeerDropper dropper = PeerDropper.none();
    private long anchorTimeoutNanos = DEFAULT_ANCHOR_TIMEOUT_NANOS;

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

    /**
     * Makes the fetch policy of each scheduler (one for headers, one per other part), a fresh
     * instance each call, e.g. {@code FetchPolicy::geth} or {@code () -> FetchPolicy.byName(name)};
     * {@link FetchPolicy#standard()} by default.
     */
    public Builder policy(Supplier<? extends FetchPolicy> factory) {
      this.policy = Objects.requireNonNull(factory);
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
