package io.peerflow.sync;

import io.peerflow.chain.block.BlockHeader;
import io.peerflow.concurrent.Failures;
import io.peerflow.fetch.FetchException;
import io.peerflow.fetch.FetchPolicy;
import io.peerflow.fetch.FetchQueue;
import io.peerflow.fetch.FetchScheduler;
import io.peerflow.fetch.FetchSummary;
import io.peerflow.fetch.PeerDropper;
import io.peerflow.fetch.PeerStats;
import io.peerflow.fetch.Reservation;
import io.peerflow.peers.PeerConnection;
import io.peerflow.peers.PeerSet;
import io.peerflow.store.ChainStore;
import io.peerflow.store.Part;
import io.peerflow.store.WriteBatch;
import io.peerflow.time.Timer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A sync's work once its anchor is known: the anchor stored, a header queue linking down from it
 * and a part queue per other part behind it, each driven by its own {@link FetchScheduler}; then
 * the check that every block is stored and the report.
 *
 * <p>Not thread-safe: created and called on the sync's serial executor, and every callback from the
 * schedulers hops back onto it. The store scans and writes of its construction therefore run there,
 * never on the thread that completed the anchor's answer.
 */
final class RangeFetch {

  private final PeerSet peers;
  private final ChainStore store;
  private final Timer timer;
  private final Executor serial;
  private final Supplier<? extends FetchPolicy> policy;
  private final PeerDropper dropper;
  private final PeerDrops drops;
  private final long from;
  private final BlockHeader anchor;
  private final Set<Part> parts;
  private final Map<Part, FetchScheduler<?>> schedulers = new EnumMap<>(Part.class);
  private final Map<Part, PartQueue<?>> partQueues = new EnumMap<>(Part.class);
  private final Map<Part, Long> resumed = new EnumMap<>(Part.class);
  private final HeaderQueue headerQueue;
  private final FetchScheduler<HeaderQueue.Segment> headers;

  /** Lowest block whose header is verified and stored, as the header queue last reported. */
  private long headersVerifiedLow;

  private long headersFetched;

  /**
   * Stores the anchor if it is not stored yet and counts what earlier runs stored; nothing is
   * fetched before {@link #start}.
   *
   * @param dropper how peers found lying are dropped, from any thread
   */
  RangeFetch(
      ChainSync.Settings settings,
      Executor serial,
      PeerDrops drops,
      PeerDropper dropper,
      BlockHeader anchor) {
    this.peers = settings.peers();
    this.store = settings.store();
    this.timer = settings.timer();
    this.policy = settings.policy();
    this.from = settings.from();
    this.parts = settings.parts();
    this.serial = serial;
    this.drops = drops;
    this.dropper = dropper;
    this.anchor = anchor;
    long top = anchor.number();
    if (top < from) {
      throw new SyncException("the anchor #" + top + " is below --from " + from);
    }
    if (!store.canonicalHash(top).map(anchor.hash()::equals).orElse(false)) {
      headersFetched = 1;
      try (WriteBatch b = store.batch()) {
        b.putHeader(top, anchor.hash(), anchor.rlp());
        b.commit();
      }
    }
    headersVerifiedLow = top;
    for (Part p : parts) {
      if (p != Part.HEADERS) {
        resumed.put(p, (top - from + 1) - store.countMissing(p, from, top));
        PartQueue<?> q = PartQueue.of(p, store, from, top, top);
        partQueues.put(p, q);
        schedulers.put(p, scheduler(q));
      }
    }
    HeaderQueue hq =
        new HeaderQueue(
            from,
            top - 1,
            anchor.parentHash(),
            new StoredChain(store),
            new PartsBehindHeaders(
                store,
                List.copyOf(partQueues.values()),
                List.copyOf(schedulers.values()),
                stored -> serial.execute(() -> headersFetched += stored),
                low ->
                    serial.execute(() -> headersVerifiedLow = Math.min(headersVerifiedLow, low))),
            dropper);
    headerQueue = hq;
    headers = scheduler(hq);
    schedulers.put(Part.HEADERS, headers);
  }

  private <R extends Reservation> FetchScheduler<R> scheduler(FetchQueue<R> q) {
    return FetchScheduler.builder(peers, q, timer).policy(policy.get()).dropper(dropper).build();
  }

  /** The highest block of the range: the anchor. */
  long top() {
    return anchor.number();
  }

  /**
   * Starts every scheduler. The future completes on the serial executor with the report, or with
   * the first scheduler's failure (the others are then cancelled by the caller).
   */
  CompletableFuture<SyncReport> start(long startNanos) {
    CompletableFuture<SyncReport> out = new CompletableFuture<>();
    List<CompletableFuture<FetchSummary>> runs = new ArrayList<>();
    runs.add(
        headers
            .start()
            .whenCompleteAsync(
                (s, e) -> {
                  // Headers done (or failed): the part queues will get no more.
                  partQueues.values().forEach(PartQueue::headersFinished);
                  partQueues.keySet().forEach(p -> schedulers.get(p).wake());
                },
                serial)
            .exceptionallyComposeAsync(
                e -> CompletableFuture.failedFuture(explain(Part.HEADERS, e)), serial));
    // Each part's failure is put in words before anything sees it, whichever sees it first.
    partQueues
        .keySet()
        .forEach(
            p ->
                runs.add(
                    schedulers
                        .get(p)
                        .start()
                        .exceptionallyComposeAsync(
                            e -> CompletableFuture.failedFuture(explain(p, e)), serial)));
    for (CompletableFuture<FetchSummary> r : runs) {
      r.whenCompleteAsync(
          (s, e) -> {
            if (e != null) {
              out.completeExceptionally(e);
            }
          },
          serial);
    }
    CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new))
        .thenComposeAsync(v -> stats(), serial)
        .thenAcceptAsync(stats -> out.complete(report(stats, startNanos)), serial)
        .whenCompleteAsync(
            (v, e) -> {
              if (e != null) {
                out.completeExceptionally(e);
              }
            },
            serial);
    return out;
  }

  /**
   * A run (of headers or a part) that ended because no peer could take its pending blocks, in the
   * one line that names the blocks and where else to get them; any other failure as it is. Since
   * history expiry (eth/69 peers announce the earliest block they serve) this is how a sync of old
   * blocks ends, rather than waiting for a peer that will never come.
   */
  private Throwable explain(Part p, Throwable e) {
    Throwable cause = Failures.unwrap(e);
    if (!(cause instanceof FetchException fe)
        || fe.reason() != FetchException.Reason.PEERS_UNAVAILABLE) {
      return cause;
    }
    OptionalLong top =
        p == Part.HEADERS ? headerQueue.highestPending() : partQueues.get(p).highestPending();
    if (top.isEmpty()) {
      return cause;
    }
    long servedFrom = Long.MAX_VALUE;
    for (PeerConnection c : peers.peers()) {
      servedFrom = Math.min(servedFrom, c.peer().servedFrom());
    }
    String why =
        servedFrom > top.getAsLong() && servedFrom != Long.MAX_VALUE
            ? "peers serve from #" + servedFrom
            : "the peers answered that they do not have them";
    return new SyncException(
        String.format(
            Locale.ROOT,
            "no peer serves %s of blocks #%d..#%d (%s); era files can fill it: sync --era DIR,"
                + " or import --era",
            p.name().toLowerCase(Locale.ROOT),
            from,
            top.getAsLong(),
            why),
        cause);
  }

  /** Cancels every scheduler; reservations in flight go back and nothing more is fetched. */
  void cancel() {
    schedulers.values().forEach(FetchScheduler::cancel);
  }

  /** Every scheduler's statistics, taken on its own thread; completes on the serial executor. */
  CompletableFuture<Map<Part, List<PeerStats>>> stats() {
    Map<Part, CompletableFuture<List<PeerStats>>> fs = new EnumMap<>(Part.class);
    schedulers.forEach((p, s) -> fs.put(p, s.stats()));
    return CompletableFuture.allOf(fs.values().toArray(CompletableFuture[]::new))
        .thenApplyAsync(
            v -> {
              Map<Part, List<PeerStats>> out = new EnumMap<>(Part.class);
              fs.forEach((p, f) -> out.put(p, f.join()));
              return out;
            },
            serial);
  }

  /** Per part, the blocks of the range now stored with it. */
  Map<Part, Long> done() {
    Map<Part, Long> out = new EnumMap<>(Part.class);
    for (Part p : parts) {
      out.put(
          p,
          p == Part.HEADERS
              ? top() - Math.max(headersVerifiedLow - 1, from - 1)
              : partQueues.get(p).done());
    }
    return out;
  }

  /** Per part, the blocks an earlier run had stored. */
  Map<Part, Long> resumed() {
    return new EnumMap<>(resumed);
  }

  private SyncReport report(Map<Part, List<PeerStats>> stats, long startNanos) {
    long blocks = top() - from + 1;
    for (Part p : parts) {
      long missing = store.countMissing(p, from, top());
      if (missing != 0) {
        throw new SyncException(
            missing + " blocks still lack " + p.name().toLowerCase(Locale.ROOT) + " after the run");
      }
    }
    double seconds = (timer.clock().nanos() - startNanos) / 1e9;
    Map<Part, Long> fetched = new EnumMap<>(Part.class);
    for (Part p : parts) {
      fetched.put(p, p == Part.HEADERS ? headersFetched : blocks - resumed.getOrDefault(p, 0L));
    }
    return new SyncReport(
        from,
        top(),
        blocks,
        anchor.hash(),
        seconds,
        fetched,
        PeerReports.build(stats, drops.drops(), drops.lefts(), peers.peers()));
  }
}
