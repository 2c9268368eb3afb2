package io.peerflow.cli.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.peerflow.eth.ServingObserver;
import io.peerflow.fetch.DropReason;
import io.peerflow.fetch.PeerDropper;
import io.peerflow.peers.MessageKind;
import io.peerflow.rlpx.DisconnectReason;
import io.peerflow.rlpx.RlpxObserver;
import io.peerflow.store.Part;
import io.peerflow.sync.ChainSync;
import io.peerflow.sync.SyncProgress;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A node's metrics, kept by Micrometer and read in Prometheus's text format: the one place the
 * library's observer interfaces ({@link RlpxObserver}, {@link ServingObserver}) and a sync's
 * progress and drops become counters and gauges. Every name starts with {@code peerflow_}, the
 * JVM's memory meters included (renamed on registration).
 *
 * <p>Thread-safe: the observers are called from event loops and serving workers at once, and
 * Micrometer's meters are safe for that; {@link #scrape()} may run on any thread.
 */
public final class NodeMetrics implements RlpxObserver, ServingObserver {

  /** Every meter's name starts with it: {@code peerflow.} in Micrometer's dotted notation. */
  static final String PREFIX = "peerflow.";

  /**
   * How long a scrape waits for a running sync's progress snapshot (taken on the sync's own
   * executor): far more than the snapshot needs, and well below a Prometheus scrape timeout (10 s
   * by default), so a busy sync shows its last figures rather than failing the scrape.
   */
  private static final long PROGRESS_WAIT_MILLIS = 2000;

  /** The kinds a node serves; a label value each. */
  private static final List<MessageKind> SERVED_KINDS =
      List.of(MessageKind.HEADERS, MessageKind.BODIES, MessageKind.RECEIPTS);

  private final PrometheusMeterRegistry registry;
  private final AtomicInteger connected = new AtomicInteger();
  private final Counter bytesReceived;
  private final Map<MessageKind, Counter> servedRequests = new java.util.HashMap<>();
  private final Map<MessageKind, Counter> servedItems = new java.util.HashMap<>();
  private final Map<MessageKind, Counter> servedBytes = new java.util.HashMap<>();
  private final Map<DropReason, Counter> drops = new EnumMap<>(DropReason.class);
  private final AtomicReference<ChainSync> sync = new AtomicReference<>();
  private final AtomicReference<SyncProgress> progress = new AtomicReference<>();

  /** A fresh set of meters, the JVM's memory among them. */
  public NodeMetrics() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                return id.getName().startsWith(PREFIX) ? id : id.withName(PREFIX + id.getName());
              }
            });
    new JvmMemoryMetrics().bindTo(registry);
    Gauge.builder(PREFIX + "peers.connected", connected, AtomicInteger::get)
        .description("Peers with an established session now, inbound and outbound")
        .register(registry);
    bytesReceived =
        Counter.builder(PREFIX + "received.bytes")
            .description("Bytes read from peers' sockets, before decryption and decompression")
            .baseUnit("bytes")
            .register(registry);
    for (MessageKind k : SERVED_KINDS) {
      String kind = label(k);
      servedRequests.put(
          k,
          Counter.builder(PREFIX + "served.requests")
              .description("Requests answered, by kind")
              .tag("kind", kind)
              .register(registry));
      servedItems.put(
          k,
          Counter.builder(PREFIX + "served.items")
              .description("Headers, bodies and receipt lists sent in answers, by kind")
              .tag("kind", kind)
              .register(registry));
      servedBytes.put(
          k,
          Counter.builder(PREFIX + "served.bytes")
              .description("Size of the answers sent, by kind, before compression")
              .baseUnit("bytes")
              .tag("kind", kind)
              .register(registry));
    }
    for (Part p : Part.values()) {
      FunctionCounter.builder(PREFIX + "fetched.items", this, m -> m.fetched(p))
          .description(
              "Block parts stored by this run of the sync, by part (empty bodies and receipts,"
                  + " known from their header, included)")
          .tag("part", p.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    for (DropReason r : DropReason.values()) {
      drops.put(
          r,
          Counter.builder(PREFIX + "peer.drops")
              .description("Peers the sync gave up on and disconnected, by reason")
              .tag("reason", r.name().toLowerCase(Locale.ROOT))
              .register(registry));
    }
  }

  /** The registry, for meters of an embedder's own. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Reports {@code s}'s items fetched by part from now on; its progress is read at each scrape. */
  public void watch(ChainSync s) {
    sync.set(s);
  }

  /**
   * {@code inner}, counting each drop under its reason first: how a sync's drops reach the metrics
   * without a hook in the sync.
   */
  public PeerDropper countingDrops(PeerDropper inner) {
    return (peer, reason, detail) -> {
      drops.get(reason).increment();
      inner.drop(peer, reason, detail);
    };
  }

  /**
   * Every meter in Prometheus's text format (version 0.0.4), after taking a watched sync's
   * progress. Blocks for at most {@value #PROGRESS_WAIT_MILLIS} ms for that; never call it on an
   * event loop.
   */
  public String scrape() {
    refreshProgress();
    return registry.scrape();
  }

  private void refreshProgress() {
    ChainSync s = sync.get();
    if (s == null) {
      return;
    }
    try {
      progress.set(s.progress().get(PROGRESS_WAIT_MILLIS, TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // The last snapshot stands: a counter that lags a scrape is better than a failed scrape.
    }
  }

  private double fetched(Part p) {
    SyncProgress now = progress.get();
    if (now == null) {
      return 0;
    }
    return now.done().getOrDefault(p, 0L) - now.resumed().getOrDefault(p, 0L);
  }

  // ---- RlpxObserver -------------------------------------------------------------------------

  @Override
  public void sessionStarted() {
    connected.incrementAndGet();
  }

  @Override
  public void sessionEnded(DisconnectReason reason, boolean byRemote) {
    connected.decrementAndGet();
    // Registration is idempotent and cached: the first disconnect for a reason adds its series.
    Counter.builder(PREFIX + "peer.disconnects")
        .description("Established sessions that ended, by reason and by which side ended them")
        .tag("reason", reasonLabel(reason))
        .tag("by", byRemote ? "remote" : "local")
        .register(registry)
        .increment();
  }

  @Override
  public void handshakeFailed(DisconnectReason reason, boolean byRemote) {
    Counter.builder(PREFIX + "handshake.failures")
        .description("Connections that ended before their session was established, by reason")
        .tag("reason", reasonLabel(reason))
        .register(registry)
        .increment();
  }

  @Override
  public void bytesReceived(int bytes) {
    bytesReceived.increment(bytes);
  }

  // ---- ServingObserver ----------------------------------------------------------------------

  @Override
  public void answered(MessageKind kind, int items, int bytes) {
    Counter requests = servedRequests.get(kind);
    if (requests == null) {
      return; // only the three kinds above are served
    }
    requests.increment();
    servedItems.get(kind).increment(items);
    servedBytes.get(kind).increment(bytes);
  }

  private static String label(MessageKind k) {
    return k.name().replace(' ', '_');
  }

  private static String reasonLabel(DisconnectReason r) {
    return r.name().toLowerCase(Locale.ROOT);
  }
}
