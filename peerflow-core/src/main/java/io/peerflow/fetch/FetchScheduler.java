package io.peerflow.fetch;

import io.peerflow.concurrent.Failures;
import io.peerflow.concurrent.SerialExecutor;
import io.peerflow.peers.MessageKind;
import io.peerflow.peers.PeerConnection;
import io.peerflow.peers.PeerEvent;
import io.peerflow.peers.PeerSet;
import io.peerflow.peers.Response;
import io.peerflow.time.Clock;
import io.peerflow.time.Timer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches every item of a {@link FetchQueue} from the peers of a {@link PeerSet}: hands batches to
 * peers as a {@link FetchPolicy} decides, times requests out, returns the work of slow, departed
 * and misbehaving peers to the pool, and drops peers that stall or lie. A port of go-ethereum's
 * {@code concurrentFetch}, generic over what is fetched and over the policy.
 *
 * <p>Concurrency: all of the scheduler's state, the queue's calls and the policy's calls live on
 * one logical thread, a serial executor over the {@link Timer}: answers that complete on network
 * threads, timeouts, peer events and {@link #wake()} calls are queued there and handled one at a
 * time, in order. Nothing blocks or sleeps; waiting is always a timer task. The public methods are
 * thread-safe. On {@link io.peerflow.time.VirtualTime} the same code runs deterministically, which
 * is how it is tested and simulated.
 *
 * <p>The rules, as go-ethereum applies them (see the README for the policies on top):
 *
 * <ul>
 *   <li>At every wake-up (an answer, a timeout, a peer joining or leaving, {@link #wake()}) the
 *       policy's offers are worked through while items are pending.
 *   <li>A request that times out becomes stale: its items go back to the pool at once, but the peer
 *       is left busy (it is probably overloaded). If the request held more than two items the
 *       policy throttles the peer ({@link FetchPolicy#onTimeout}); otherwise the peer is dropped.
 *   <li>A stale request still unanswered {@link #GRACE_PERIOD_NANOS two minutes} after it was sent
 *       gets its peer dropped as stalling (go-ethereum notices at its next wake-up; we also
 *       schedule one, so that a quiet run notices too). A late answer frees the peer, but its data
 *       is not delivered (its items were handed out again).
 *   <li>A peer that leaves gives its reservations back at once; a new peer gets work at the next
 *       wake-up. An invalid delivery or a failed request drops the peer.
 *   <li>Ours, not go-ethereum's: once the queue is closed and every item left is in flight, a
 *       request past the policy's {@link FetchPolicy#endgameDeadline end-game deadline} turns stale
 *       without penalty, and its items go to other peers (none by default).
 *   <li>The run ends when the queue is closed, nothing is pending and no request is in flight
 *       (stale requests do not hold it up). It fails with "no peers left" if every peer is gone
 *       while work remains, and with "peers unavailable" if idle peers lack all pending items.
 * </ul>
 *
 * <p>Its work runs as short tasks on the timer's thread (one daemon thread for a {@link
 * io.peerflow.time.SystemTimer}, which several schedulers may share). The class runs past 400 lines
 * on purpose: its event handlers share the run's state and the rules above, and read best side by
 * side; the bookkeeping lives in a package-private class of its own.
 *
 * <p>One scheduler per kind and peer set: several (headers, bodies, receipts) may run over one set
 * at once, each with its own queue; single-flight policies rely on the peer's per-kind busy flag,
 * which must not be shared by two schedulers of the same kind.
 *
 * @param <R> the queue's reservation type
 */
public final class FetchScheduler<R extends Reservation> {

  private static final Logger LOG = LoggerFactory.getLogger(FetchScheduler.class);

  /**
   * How long a peer may take to answer a request that already timed out, counted from when it was
   * sent (go-ethereum's {@code timeoutGracePeriod}). Timeouts alone are not punished, since a peer
   * may be briefly overloaded, but every request must be answered eventually; a peer that keeps one
   * unanswered this long is taken to be stalling the sync on purpose.
   */
  public static final long GRACE_PERIOD_NANOS = 120_000_000_000L;

  /**
   * The most items a timed-out request may have held for its peer to be dropped rather than
   * throttled. Trackers always ask for one item more than the minimum (to tell bandwidth from
   * latency), so a peer that cannot answer two items in time cannot answer anything.
   */
  static final int DROP_THRESHOLD = 2;

  private final PeerSet peers;
  private final FetchQueue<R> queue;
  private final Timer timer;
  private final Clock clock;
  private final FetchPolicy policy;
  private final PeerDropper dropper;
  private final MessageKind kind;
  private final FlightRule flights;
  private final SerialExecutor serial;
  private final AtomicBoolean started = new AtomicBoolean();
  private final CompletableFuture<FetchSummary> done = new CompletableFuture<>();

  // Everything below is confined to the serial executor.
  private final PeerBook<R> book;
  private PeerSet.Subscription subscription;
  private long startedAt;
  private boolean finished;

  /** The wake-up at the earliest end-game deadline, if one is armed, and when it fires. */
  private Timer.Timeout endgameWake;

  private long endgameWakeAt = Long.MAX_VALUE;

  private FetchScheduler(Builder<R> b) {
    this.peers = b.peers;
    this.queue = b.queue;
    this.timer = b.timer;
    this.clock = b.timer.clock();
    this.policy = b.policy;
    this.dropper = b.dropper;
    this.kind = b.queue.kind();
    this.flights = FlightRule.of(b.policy, kind);
    this.serial = new SerialExecutor(timer, this::onInternalFailure);
    this.book = new PeerBook<>(peers, queue, clock, b.minVersion, b.maxVersion);
  }

  /**
   * A builder for a scheduler fetching {@code queue}'s items from {@code peers}, waiting on {@code
   * timer} (and measuring time on its clock, which must be the peer set's).
   */
  public static <R extends Reservation> Builder<R> builder(
      PeerSet peers, FetchQueue<R> queue, Timer timer) {
    return new Builder<>(peers, queue, timer);
  }

  /**
   * Starts the run; may be called once. The future completes with the summary when the run ends, or
   * exceptionally with a {@link FetchException} (no peers left, peers unavailable), a {@link
   * CancellationException} after {@link #cancel()}, or whatever the queue or policy threw.
   */
  public CompletableFuture<FetchSummary> start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("a scheduler runs once");
    }
    serial.execute(
        () -> {
          startedAt = clock.nanos();
          subscription = peers.subscribe(this::onPeerEvent, serial);
          pass();
        });
    return done;
  }

  /**
   * Asks for a wake-up: call it when the queue received items or was closed. Thread-safe, cheap,
   * and harmless when nothing changed.
   */
  public void wake() {
    serial.execute(this::pass);
  }

  /** Ends the run: reservations in flight go back to the queue and the future is cancelled. */
  public void cancel() {
    serial.execute(() -> finish(new CancellationException("fetch cancelled")));
  }

  /**
   * Per-peer statistics as of now, with the policy's rate estimates, taken on the scheduler's
   * thread; in the order peers were first seen.
   */
  public CompletableFuture<List<PeerStats>> stats() {
    CompletableFuture<List<PeerStats>> f = new CompletableFuture<>();
    serial.execute(() -> f.complete(book.snapshot(policy, finished)));
    return f;
  }

  /** The kind this scheduler fetches. */
  public MessageKind kind() {
    return kind;
  }

  /** The policy's name. */
  public String policyName() {
    return policy.name();
  }

  // ---------------------------------------------------------------------------------------------
  // The loop body: one assignment pass per wake-up.

  private void pass() {
    if (finished) {
      return;
    }
    if (queue.pending() == 0 && book.requestsInFlight() == 0 && queue.closed()) {
      finish(null);
      return;
    }
    long now = clock.nanos();
    for (PeerConnection c : book.peers()) {
      PeerState<R> old = book.byId(c.id());
      if (old != null && old.connection != c) {
        peerLeft(old); // a rejoin seen before the leave event: settle the old connection first
      }
      PeerState<R> s = book.stateOf(c);
      if (!s.stale.isEmpty() && now - s.stale.get(0).sentAt > GRACE_PERIOD_NANOS) {
        drop(
            s,
            DropReason.STALLING,
            "no answer for " + (now - s.stale.get(0).sentAt) / 1_000_000 + " ms");
      }
    }
    if (book.peers().isEmpty()) {
      finish(
          new FetchException(
              FetchException.Reason.NO_PEERS_LEFT,
              "no peers left (" + queue.pending() + " " + kind.name() + " still pending)"));
      return;
    }
    if (queue.closed() && queue.pending() == 0 && book.requestsInFlight() > 0) {
      releaseOverdue(now);
    }
    if (queue.pending() == 0) {
      return;
    }
    int reserved = 0;
    for (FetchPolicy.Offer offer : policy.plan(book)) {
      if (queue.pending() == 0) {
        break;
      }
      PeerConnection c = offer.peer();
      if (!book.registered(c)) {
        continue;
      }
      PeerState<R> s = book.stateOf(c);
      if (!flights.mayRequest(c, s)) {
        continue;
      }
      R reservation = queue.reserve(c, offer.items());
      if (reservation != null) {
        reserved++;
        send(s, reservation);
      }
    }
    if (reserved == 0
        && book.requestsInFlight() == 0
        && book.staleRequests() == 0
        && queue.pending() > 0
        && book.allIdle(flights)) {
      // go-ethereum's errPeersUnavailable: every peer was offered work and none could take any.
      // (A reservation whose send failed does not count: its peer is disconnecting, and its
      // leave is the next wake-up.)
      finish(
          new FetchException(
              FetchException.Reason.PEERS_UNAVAILABLE,
              "peers unavailable: none of the "
                  + book.peers().size()
                  + " peers has any of the "
                  + queue.pending()
                  + " pending "
                  + kind.name()));
    }
  }

  private void send(PeerState<R> s, R reservation) {
    PeerConnection c = s.connection;
    long timeout = policy.timeoutNanos(book, c, reservation.size());
    CompletableFuture<? extends Response> answer;
    try {
      answer = flights.send(c, p -> queue.request(p, reservation));
    } catch (RuntimeException e) {
      // Nothing was sent, usually because the peer disconnected between reservation and send.
      queue.unreserve(reservation);
      LOG.debug("Request to {} not sent: {}", c.id(), e.toString());
      return;
    }
    Objects.requireNonNull(answer, "FetchQueue.request returned null");
    InFlight<R> req = new InFlight<>(s, reservation, clock.nanos(), s.liveItems);
    book.sent(req);
    req.timeout = timer.schedule(timeout, () -> serial.execute(() -> onTimeout(req)));
    answer.whenComplete(
        (response, error) -> {
          long at = clock.nanos(); // the arrival, before the hop onto our thread
          serial.execute(() -> onAnswer(req, response, error, at));
        });
  }

  private void onTimeout(InFlight<R> req) {
    if (finished || req.settled || req.stale) {
      return;
    }
    // Keep the request, so the peer stays busy (it is likely overloaded already) and a late
    // answer can still free it; its items go back to the pool for others.
    book.timedOut(req);
    PeerState<R> s = req.peer;
    int fails = queue.unreserve(req.reservation);
    if (fails > DROP_THRESHOLD) {
      policy.onTimeout(book, s.connection, fails);
      long wait = req.sentAt + GRACE_PERIOD_NANOS - clock.nanos();
      req.graceTimer = timer.schedule(wait + 1, () -> serial.execute(this::pass));
    } else {
      drop(s, DropReason.TIMEOUT, fails + " items");
    }
    pass();
  }

  /**
   * The end game: hands out again the items of requests the policy no longer expects in time
   * ({@link FetchPolicy#endgameDeadline}), leaving them stale like a timed-out request but with
   * neither penalty nor drop, and wakes up at the next such deadline.
   */
  private void releaseOverdue(long now) {
    long next = Long.MAX_VALUE;
    for (PeerState<R> s : book.states()) {
      for (InFlight<R> req : List.copyOf(s.live)) {
        long deadline = policy.endgameDeadline(book, s.connection, req.sentAt, req.size);
        if (deadline > now) {
          next = Math.min(next, deadline);
          continue;
        }
        req.timeout.cancel();
        book.timedOut(req);
        queue.unreserve(req.reservation);
        long wait = req.sentAt + GRACE_PERIOD_NANOS - now;
        req.graceTimer = timer.schedule(wait + 1, () -> serial.execute(this::pass));
        LOG.debug("End game: {} {} of {} handed out again", req.size, kind.name(), s.id());
      }
    }
    if (next != Long.MAX_VALUE && next < endgameWakeAt) {
      if (endgameWake != null) {
        endgameWake.cancel();
      }
      endgameWakeAt = next;
      endgameWake =
          timer.schedule(
              next - now,
              () ->
                  serial.execute(
                      () -> {
                        endgameWakeAt = Long.MAX_VALUE;
                        pass();
                      }));
    }
  }

  private void onAnswer(InFlight<R> req, Response response, Throwable error, long at) {
    req.cancelTimers();
    if (req.settled) {
      return; // written off when its peer left
    }
    req.settled = true;
    PeerState<R> s = req.peer;
    PeerConnection c = s.connection;
    if (finished) {
      flights.settle(c, 0, at); // the run is over; only the peer's occupation is left to release
      return;
    }
    long previousArrival = s.lastArrival;
    book.answered(req, at);
    if (error != null || response == null) {
      if (!req.stale) {
        queue.unreserve(req.reservation);
      }
      flights.settle(c, 0, at);
      drop(s, DropReason.REQUEST_FAILED, error == null ? "no response" : Failures.describe(error));
      pass();
      return;
    }
    if (req.stale) {
      // The items were handed out again, so there is nothing to deliver: as in go-ethereum the
      // peer is idled with nothing delivered, which leaves its capacity at 0.
      flights.settle(c, 0, at);
      policy.onSettled(book, settlement(req, response.itemCount(), 0, at, previousArrival));
      pass();
      return;
    }
    Delivery delivery = queue.deliver(c, req.reservation, response);
    flights.settle(c, delivery.accepted(), at);
    if (!delivery.valid()) {
      drop(s, DropReason.INVALID_DELIVERY, delivery.invalidReason());
      pass();
      return;
    }
    book.accepted(s, delivery.accepted());
    policy.onSettled(
        book, settlement(req, response.itemCount(), delivery.accepted(), at, previousArrival));
    pass();
  }

  private FetchPolicy.Settlement settlement(
      InFlight<R> req, int delivered, int accepted, long at, long previousArrival) {
    return new FetchPolicy.Settlement(
        req.peer.connection,
        req.size,
        delivered,
        accepted,
        req.sentAt,
        at,
        previousArrival,
        req.itemsAhead,
        req.stale);
  }

  private void onPeerEvent(PeerEvent event) {
    if (finished) {
      return;
    }
    if (event.type() == PeerEvent.Type.LEAVE) {
      PeerState<R> s = book.known(event.peer());
      if (s != null) {
        peerLeft(s);
      }
    }
    pass();
  }

  /** Unregisters the peer, settles its requests and tells the embedder to disconnect it. */
  private void drop(PeerState<R> s, DropReason reason, String detail) {
    PeerConnection c = s.connection;
    LOG.debug("Dropping peer {} ({}): {}", c.id(), reason.text(), detail);
    book.dropped(s, reason);
    peerLeft(s);
    // This very connection only: if the transport removed it first, or the peer has reconnected
    // since, there is nothing to remove.
    peers.unregister(c);
    try {
      dropper.drop(c, reason, detail);
    } catch (RuntimeException e) {
      LOG.warn("Peer dropper failed for {}", c.id(), e);
    }
  }

  /** Returns a departed peer's reservations to the pool and forgets it. Idempotent. */
  private void peerLeft(PeerState<R> s) {
    if (book.known(s.connection) != s) {
      return;
    }
    book.rememberEstimate(s, policy.rateEstimate(book, s.connection));
    for (InFlight<R> req : book.forget(s)) {
      queue.unreserve(req.reservation);
    }
    policy.onLeave(s.connection);
  }

  private void finish(Throwable failure) {
    if (finished) {
      return;
    }
    for (PeerState<R> s : book.states()) {
      book.rememberEstimate(s, policy.rateEstimate(book, s.connection));
      for (InFlight<R> req : s.live) {
        req.cancelTimers();
        queue.unreserve(req.reservation); // only on failure or cancellation: a success has none
      }
      for (InFlight<R> req : s.stale) {
        req.cancelTimers();
      }
    }
    finished = true;
    if (endgameWake != null) {
      endgameWake.cancel();
    }
    if (subscription != null) {
      subscription.close();
    }
    if (failure == null) {
      done.complete(
          new FetchSummary(
              kind, policy.name(), clock.nanos() - startedAt, book.snapshot(policy, true)));
    } else {
      LOG.debug("Fetch of {} failed: {}", kind.name(), failure.toString());
      done.completeExceptionally(failure);
    }
  }

  private void onInternalFailure(RuntimeException e) {
    LOG.warn("Fetch scheduler failed", e);
    if (!finished) {
      try {
        finish(e);
      } catch (RuntimeException again) {
        finished = true;
        done.completeExceptionally(e);
      }
    }
  }

  /**
   * Configures a {@link FetchScheduler}. Not thread-safe; build on one thread.
   *
   * @param <R> the queue's reservation type
   */
  public static final class Builder<R extends Reservation> {
    private final PeerSet peers;
    private final FetchQueue<R> queue;
    private final Timer timer;
    private FetchPolicy policy = FetchPolicy.standard();
    private PeerDropper dropper = PeerDropper.none();
    private int minVersion = 0;
    private int maxVersion = Integer.MAX_VALUE;

    private Builder(PeerSet peers, FetchQueue<R> queue, Timer timer) {
      this.peers = Objects.requireNonNull(peers, "peers");
      this.queue = Objects.requireNonNull(queue, "queue");
      this.timer = Objects.requireNonNull(timer, "timer");
    }

    /**
     * The policy (a fresh instance, owned by this scheduler); {@link FetchPolicy#standard()} by
     * default.
     */
    public Builder<R> policy(FetchPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Called after the scheduler unregistered a peer it gives up on; none by default. */
    public Builder<R> dropper(PeerDropper dropper) {
      this.dropper = Objects.requireNonNull(dropper, "dropper");
      return this;
    }

    /** Only peers speaking a protocol version in {@code [min, max]} get work; all by default. */
    public Builder<R> versions(int min, int max) {
      if (min > max) {
        throw new IllegalArgumentException("empty version range: " + min + ".." + max);
      }
      this.minVersion = min;
      this.maxVersion = max;
      return this;
    }

    /** The scheduler; not started. */
    public FetchScheduler<R> build() {
      return new FetchScheduler<>(this);
    }
  }
}
