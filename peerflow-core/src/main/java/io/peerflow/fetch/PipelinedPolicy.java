package io.peerflow.fetch;

import io.peerflow.msgrate.Trackers;
import io.peerflow.peers.PeerConnection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Our policy, {@code pipelined}: keep every peer busy all the time by sending it several requests
 * at once, as many as cover its bandwidth-delay product, and share out the last items so that all
 * peers finish together.
 *
 * <p>Why: a peer serves one request at a time. With one request in flight (go-ethereum, the fixed
 * baseline) it sits idle from the moment its answer leaves until the next request arrives: a full
 * round trip per request, which is most of the time on a high-latency link or for a fast peer
 * capped at the per-kind maximum. BitTorrent clients fixed this long ago by sizing each peer's
 * request queue to its bandwidth-delay product; this is the same idea for item requests.
 *
 * <p>The model, per peer (kept here, not in the {@link io.peerflow.msgrate.Tracker}, because it
 * needs quantities the tracker does not measure):
 *
 * <ul>
 *   <li><b>Service time per item</b> while the peer is busy. Requests queued behind another at the
 *       peer are measured from the previous answer's arrival to their own, which excludes the
 *       latency that go-ethereum's round-trip measurement includes; averaged as time per item (not
 *       items per second, whose average a single short interval would skew).
 *   <li><b>Base round trip</b> (latency both ways): the shortest time any answer took. Every answer
 *       takes at least the base round trip, so the minimum is a tight bound that neither queueing
 *       nor a wrong service estimate can inflate.
 *   <li><b>Response cap</b>: servers stop adding items once an answer passes a byte limit (2 MiB in
 *       go-ethereum), so a request for more than fit comes back partial and its rest waits in vain;
 *       the cap is learned from partial answers and requests kept under it.
 *   <li><b>Yield</b>: the share of a request the peer serves (below one for peers that answer in
 *       part), so that the pipeline is sized by the work a request really brings.
 * </ul>
 *
 * <p>Decisions: requests ask for about {@link #SERVICE_TARGET_NANOS} of the peer's work; enough of
 * them are in flight to cover the base round trip, though a peer earns that depth a couple of
 * requests per answer (a slow start: its first estimates rest on one or two answers, which jitter
 * can make look many times faster than the peer is); each has a timeout of a few times its own
 * expected arrival (queue ahead of it included) instead of the group's. A newcomer gets a one-item
 * probe (which measures its latency and, if it never answers, gets it dropped after {@link
 * #PROBE_TIMEOUT_NANOS} by the two-item rule instead of after the two-minute grace) together with a
 * modest request queued behind it (which measures its rate). Once the queue is closed, the pending
 * items are capped per peer by water-filling: each peer gets no more than it can finish by the
 * moment all of them can finish together, so the last items go to the peers that will be done
 * soonest instead of to a slow peer the others then wait for (an "end game" without duplicate
 * requests). In that end game, the requests of a peer that never answered are not waited on past
 * what the slowest measured peer would need ({@link #endgameDeadline}): their items go to the
 * others, and should the peer answer after all, its answer is discarded.
 *
 * <p>Every measured service time is also fed to the peer's tracker, so the peer layer's capacities
 * (used to rank peers and to start newcomers) stay meaningful; its round trips then mean "service
 * time of a request", which is what a pipelined peer's answers are spaced by.
 *
 * <p>Not thread-safe: one instance per scheduler, called on its thread only.
 */
final class PipelinedPolicy implements FetchPolicy {

  /**
   * Work per request, in time at the peer's own rate. Small requests make the end of the run
   * finer-grained (the last request of a slow peer is short) and adapt sooner; large ones need a
   * shallower pipeline. Half a second keeps the tail short while needing at most a handful of
   * requests in flight on ordinary links; in the simulator (six seeds per scenario) a quarter
   * second and a full second both did a little worse overall, most on the satellite links.
   */
  static final long SERVICE_TARGET_NANOS = 500_000_000L;

  /**
   * Smallest request to a measured peer. The scheduler drops a peer whose request of two items or
   * fewer times out; requests of at least three keep that verdict for the one-item probe, so an
   * honest but slow peer is throttled, never dropped, for a single late answer. (A peer too slow to
   * serve three items within the timeout ceiling gets fewer; see {@link #MAX_QUEUED_FINISH_NANOS}.)
   */
  static final int MIN_REQUEST = 3;

  /**
   * Most requests in flight to one peer. Bounds what a peer that slows down all at once holds
   * hostage until its timeouts fire; sixteen half-second requests cover eight seconds of round
   * trip, more than any link we size for.
   */
  static final int MAX_DEPTH = 16;

  /**
   * Slow start: a peer may have at most {@code SLOW_START_BASE + SLOW_START_STEP * n} requests in
   * flight after {@code n} measured answers. The first answers are few and jitter can make one look
   * many times faster than the peer is; filling a deep pipeline on such an estimate (with timeouts
   * derived from it) costs a burst of timeouts. Simulated with jitter, growing by two per answer
   * from four gave the best results; no slow start, and growth by one, both did worse.
   */
  static final int SLOW_START_BASE = 2;

  /** See {@link #SLOW_START_BASE}. */
  static final int SLOW_START_STEP = 2;

  /** Slack on the round trip the pipeline must cover, for jitter and estimation error. */
  static final double DEPTH_MARGIN = 1.25;

  /**
   * Timeout of a newcomer's one-item probe. Any honest peer answers one item within a round trip, a
   * few seconds even over a satellite hop; a peer that does not within ten is dropped by the
   * two-item rule, which frees its probe companion's items too.
   */
  static final long PROBE_TIMEOUT_NANOS = 10_000_000_000L;

  /** Size of a newcomer's second request when no peer has been measured yet to size it by. */
  static final int FIRST_PROBE_ITEMS = 16;

  /**
   * Floor of the weight of a new service-time sample. The first samples of a peer are averaged
   * plainly (weight 1/n), so a newcomer's estimate settles in a few answers instead of the dozens
   * an exponential average from a guess would take; after that, 0.2 follows a peer that slows down
   * within a handful of answers while smoothing out item-size spread.
   */
  static final double RATE_IMPACT = 0.2;

  /** Weight of a new partial answer's size in the learned response cap. */
  static final double CAP_IMPACT = 0.25;

  /**
   * Weight of a new answer in the yield, the share of a request a peer actually serves. Peers that
   * answer in part do so erratically, so the yield is averaged over a handful of answers.
   */
  static final double YIELD_IMPACT = 0.2;

  /**
   * Share of the learned response cap a request asks for. Item sizes vary, so an answer of the
   * average cap's size is cut about half the time; staying ten percent under it avoids most cuts.
   */
  static final double CAP_MARGIN = 0.9;

  /**
   * Multiplier from a request's expected arrival to its timeout, as go-ethereum's {@code
   * ttlScaling}: peers answer around the expected time, slower when loaded.
   */
  static final double TIMEOUT_SCALING = 3;

  /**
   * Shortest timeout. Expected arrivals of tiny requests on fast links are tens of milliseconds; a
   * scheduler or network hiccup must not time those out wholesale.
   */
  static final long MIN_TIMEOUT_NANOS = 2_000_000_000L;

  /**
   * Latest expected arrival of a request queued behind others at a peer. Timeouts stop at the
   * tracker's one-minute ceiling, so a request expected later than that times out before the peer
   * gets to it, its late answer is discarded, and a very slow peer would spend the whole run
   * serving answers nobody takes. Keeping a fifth of the ceiling as slack for jitter, such a peer
   * gets one request at a time instead.
   */
  static final long MAX_QUEUED_FINISH_NANOS = Trackers.DEFAULT_TTL_LIMIT_NANOS * 4 / 5;

  /** Base round trip assumed for a peer whose latency has not been measured: a generous one. */
  static final double DEFAULT_LATENCY_SECONDS = 1.0;

  private static final double NANOS_PER_SECOND = 1e9;

  /** Models by connection (identity: a rejoining peer is a new connection and starts afresh). */
  private final Map<PeerConnection, Model> models = new HashMap<>();

  @Override
  public String name() {
    return "pipelined";
  }

  @Override
  public boolean singleFlight() {
    return false;
  }

  @Override
  public List<Offer> plan(FetchView view) {
    List<PeerConnection> peers = view.peers();
    long[] caps = endgameCaps(view, peers);
    List<Slot> slots = new ArrayList<>();
    for (int i = 0; i < peers.size(); i++) {
      PeerConnection p = peers.get(i);
      if (view.hasStale(p)) {
        continue; // overloaded or stalling: no more work until it answers
      }
      Model m = model(p);
      int inFlight = view.requestsInFlight(p);
      if (!m.measured()) {
        if (inFlight == 0) {
          slots.add(new Slot(p, i, 0, 1, -1));
          if (caps == null) {
            slots.add(new Slot(p, i, 1, probeSize(view, peers), -1));
          }
        }
        continue;
      }
      int size = requestSize(view, m);
      int depth = Math.min(depth(m, size), SLOW_START_BASE + SLOW_START_STEP * m.samples);
      long cap = caps == null ? Long.MAX_VALUE : caps[i];
      double backlog = view.itemsInFlight(p);
      for (int j = inFlight; j < depth && cap > 0; j++) {
        int items = (int) Math.min(size, cap);
        double finish = m.latency() + (backlog + items) * m.perItem;
        if (j > 0 && finish * NANOS_PER_SECOND > MAX_QUEUED_FINISH_NANOS) {
          break; // would time out at the ceiling before its turn came
        }
        cap -= items;
        backlog += items;
        slots.add(new Slot(p, i, j, items, finish));
      }
    }
    slots.sort(Slot.ORDER);
    List<Offer> offers = new ArrayList<>(slots.size());
    for (Slot s : slots) {
      offers.add(new Offer(s.peer, s.items));
    }
    return offers;
  }

  @Override
  public long timeoutNanos(FetchView view, PeerConnection peer, int items) {
    Model m = model(peer);
    if (!m.measured()) {
      return view.requestsInFlight(peer) == 0
          ? PROBE_TIMEOUT_NANOS
          : view.trackers().targetTimeout(); // the probe companion: its peer is unknown yet
    }
    double expected = m.latency() + (view.itemsInFlight(peer) + items) * m.perItem;
    double timeout = TIMEOUT_SCALING * expected * NANOS_PER_SECOND;
    return (long) Math.max(MIN_TIMEOUT_NANOS, Math.min(Trackers.DEFAULT_TTL_LIMIT_NANOS, timeout));
  }

  /**
   * A peer not measured yet (a newcomer, or a staller that never answered its probe) may hold its
   * probe and the request behind it for the probe timeout, ten seconds; at the end of a run
   * everyone else then waits for it. Once the rest of the work is in flight, its requests are given
   * as long as the slowest measured peer would need, {@link #TIMEOUT_SCALING} times over and at
   * least {@link #MIN_TIMEOUT_NANOS}, and then handed to the measured peers. A measured peer's own
   * timeouts already follow its rate, and the water-filling caps keep its share small.
   */
  @Override
  public long endgameDeadline(FetchView view, PeerConnection peer, long sentAt, int items) {
    Model m = models.get(peer);
    if (m != null && m.measured()) {
      return Long.MAX_VALUE;
    }
    double latency = -1;
    double perItem = -1;
    for (PeerConnection p : view.peers()) {
      Model o = models.get(p);
      if (o != null && o.measured()) {
        latency = Math.max(latency, o.latency());
        perItem = Math.max(perItem, o.perItem);
      }
    }
    if (latency < 0) {
      return Long.MAX_VALUE; // nobody measured: nothing to compare the newcomer with
    }
    double expected = TIMEOUT_SCALING * (latency + items * perItem) * NANOS_PER_SECOND;
    return sentAt + (long) Math.max(MIN_TIMEOUT_NANOS, Math.min(PROBE_TIMEOUT_NANOS, expected));
  }

  @Override
  public void onSettled(FetchView view, Settlement s) {
    Model m = model(s.peer());
    double elapsed = (s.arrivedAt() - s.sentAt()) / NANOS_PER_SECOND;
    m.latency = Double.isNaN(m.latency) ? elapsed : Math.min(m.latency, elapsed);
    // Queued behind an earlier request at the peer if the previous answer left the peer after
    // this request reached it (each half a base round trip away from us): then the peer spent
    // exactly the time between the two arrivals on this one. Otherwise it found the peer idle
    // and the time beyond the base round trip was service.
    boolean queued =
        s.itemsAhead() > 0
            && s.previousArrivalAt() != Long.MIN_VALUE
            && (s.previousArrivalAt() - s.sentAt()) / NANOS_PER_SECOND > m.latency;
    double service =
        queued ? (s.arrivedAt() - s.previousArrivalAt()) / NANOS_PER_SECOND : elapsed - m.latency;
    if (s.delivered() > 0 && service > 0) {
      double sample = service / s.delivered();
      if (s.late()) {
        // A late answer proves the peer is at least this slow now.
        m.perItem = m.measured() ? Math.max(m.perItem, sample) : sample;
        m.samples++;
      } else {
        m.samples++;
        double w = Math.max(RATE_IMPACT, 1.0 / m.samples);
        m.perItem = (1 - w) * m.perItem + w * sample;
      }
      // Keep the peer layer's estimate meaningful for everyone else reading it.
      s.peer().measure(view.kind(), (long) (service * NANOS_PER_SECOND), s.delivered());
    }
    if (!s.late()) {
      m.penalized = false;
      if (s.delivered() > 0) {
        m.yield =
            (1 - YIELD_IMPACT) * m.yield
                + YIELD_IMPACT * Math.min(1, (double) s.delivered() / s.requested());
      }
      if (s.delivered() > 0 && s.delivered() < s.requested() && s.requested() >= m.cap) {
        // Cut short when asked for at least the cap: a response limit. (A short answer to a
        // smaller request tells nothing about the limit: the peer may lack items or be terse,
        // and learning from it would shrink requests without end.)
        m.cap =
            Double.isInfinite(m.cap)
                ? s.delivered()
                : (1 - CAP_IMPACT) * m.cap + CAP_IMPACT * s.delivered();
      } else if (s.delivered() > m.cap) {
        m.cap = s.delivered();
      }
    }
  }

  @Override
  public void onTimeout(FetchView view, PeerConnection peer, int failedItems) {
    Model m = model(peer);
    // Requests queued at one peer time out together; one episode halves the rate once. The late
    // answers, if they come, then tell the truth.
    if (m.measured() && !m.penalized) {
      m.perItem *= 2;
      m.penalized = true;
    }
  }

  @Override
  public void onLeave(PeerConnection peer) {
    models.remove(peer);
  }

  @Override
  public double rateEstimate(FetchView view, PeerConnection peer) {
    Model m = models.get(peer);
    return m == null || !m.measured() ? 0 : 1 / m.perItem;
  }

  // ---------------------------------------------------------------------------------------------

  private Model model(PeerConnection p) {
    return models.computeIfAbsent(p, k -> new Model());
  }

  /** Items per request: the service target's worth, under the response cap, within bounds. */
  private static int requestSize(FetchView view, Model m) {
    double size = SERVICE_TARGET_NANOS / NANOS_PER_SECOND / m.perItem;
    size = Math.min(size, view.kind().maxFetch());
    if (!Double.isInfinite(m.cap)) {
      size = Math.min(size, Math.floor(m.cap * CAP_MARGIN));
    }
    int sized = (int) Math.max(MIN_REQUEST, Math.min(view.kind().maxFetch(), Math.round(size)));
    // A peer so slow that even the smallest request would outlast the timeout ceiling gets what
    // it can serve within it (down to one item): otherwise every answer would come late and be
    // discarded, forever.
    double fits = (MAX_QUEUED_FINISH_NANOS / NANOS_PER_SECOND - m.latency()) / m.perItem;
    return (int) Math.max(1, Math.min(sized, Math.floor(fits)));
  }

  /**
   * Requests to keep in flight: the one being served, plus enough queued behind it to keep the peer
   * busy while its answer and our next request cross the network.
   */
  private static int depth(Model m, int size) {
    double perRequest = size * m.yield * m.perItem;
    int depth = 1 + (int) Math.ceil(DEPTH_MARGIN * m.latency() / perRequest);
    return Math.max(2, Math.min(MAX_DEPTH, depth));
  }

  /** A newcomer's second request: the median measured peer's service target, or a default. */
  private int probeSize(FetchView view, List<PeerConnection> peers) {
    double[] perItem = new double[peers.size()];
    int n = 0;
    for (PeerConnection p : peers) {
      Model m = models.get(p);
      if (m != null && m.measured()) {
        perItem[n++] = m.perItem;
      }
    }
    if (n == 0) {
      return Math.min(FIRST_PROBE_ITEMS, view.kind().maxFetch());
    }
    Arrays.sort(perItem, 0, n);
    double size = SERVICE_TARGET_NANOS / NANOS_PER_SECOND / perItem[n / 2];
    return (int) Math.max(MIN_REQUEST, Math.min(view.kind().maxFetch(), Math.round(size)));
  }

  /**
   * Once no more items will come, how many more items each peer may take so that all finish
   * together: the water level T at which the measured peers, each starting once its backlog is
   * done, share out the pending items ({@code sum of rate * (T - start) = pending}). Null (no caps)
   * while the queue is open, or when nothing is in flight (then any peer may take anything, so that
   * items only slow peers have are still fetched).
   */
  private long[] endgameCaps(FetchView view, List<PeerConnection> peers) {
    if (!view.queueClosed() || view.requestsInFlight() == 0) {
      return null;
    }
    int n = peers.size();
    double[] rate = new double[n];
    double[] start = new double[n];
    List<Integer> eligible = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      PeerConnection p = peers.get(i);
      Model m = models.get(p);
      if (m != null && m.measured() && !view.hasStale(p)) {
        rate[i] = 1 / m.perItem;
        start[i] = m.latency() + view.itemsInFlight(p) * m.perItem;
        eligible.add(i);
      }
    }
    if (eligible.isEmpty()) {
      return null;
    }
    eligible.sort(Comparator.comparingDouble((Integer i) -> start[i]).thenComparing(i -> i));
    double pending = view.pending();
    double sumRate = 0;
    double sumRateStart = 0;
    double level = Double.POSITIVE_INFINITY;
    for (int k = 0; k < eligible.size(); k++) {
      int i = eligible.get(k);
      sumRate += rate[i];
      sumRateStart += rate[i] * start[i];
      level = (pending + sumRateStart) / sumRate;
      if (k + 1 == eligible.size() || start[eligible.get(k + 1)] >= level) {
        break;
      }
    }
    long[] caps = new long[n];
    long assigned = 0;
    int fastest = eligible.get(0);
    for (int i : eligible) {
      caps[i] = (long) Math.floor(Math.max(0, rate[i] * (level - start[i])));
      assigned += caps[i];
      if (rate[i] > rate[fastest]) {
        fastest = i;
      }
    }
    // Rounding down leaves a few items over; the fastest peer does an extra item soonest.
    caps[fastest] += Math.max(0, (long) pending - assigned);
    return caps;
  }

  /** What is known of one peer. */
  private static final class Model {
    /** Seconds per item while the peer is busy; meaningful once {@link #samples} is positive. */
    double perItem;

    int samples;

    /** Base round trip in seconds: the shortest answer seen; NaN before the first. */
    double latency = Double.NaN;

    /** Share of a request the peer serves, averaged: below 1 for peers that answer in part. */
    double yield = 1;

    /** Whether a timeout halved the rate since the last timely answer. */
    boolean penalized;

    /** Items the peer put in its partial answers (averaged); infinite until one was partial. */
    double cap = Double.POSITIVE_INFINITY;

    boolean measured() {
      return samples > 0;
    }

    double latency() {
      return Double.isNaN(latency) ? DEFAULT_LATENCY_SECONDS : latency;
    }
  }

  /** A request the plan would send: which peer, which place in its pipeline, and when it ends. */
  private record Slot(PeerConnection peer, int peerIndex, int depth, int items, double finish) {
    static final Comparator<Slot> ORDER =
        Comparator.comparingDouble(Slot::finish)
            .thenComparingInt(Slot::peerIndex)
            .thenComparingInt(Slot::depth);
  }
}
