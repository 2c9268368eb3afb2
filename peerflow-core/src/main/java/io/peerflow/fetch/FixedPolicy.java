package io.peerflow.fetch;

import io.peerflow.peers.MessageKind;
import io.peerflow.peers.PeerConnection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The baseline most clients ship: every request asks for a fixed number of items (192 headers, 128
 * bodies, 256 receipts: the protocol maxima, which a serving go-ethereum node also caps at), one
 * request per peer at a time, the idle peer that has waited longest goes first, and a fixed
 * timeout. No throughput is measured to size anything.
 *
 * <p>It wastes slow peers (whose requests time out and are handed out again) and fast ones (capped
 * per request, idle for every round trip). Not thread-safe; confined to its scheduler's thread (it
 * keeps no state).
 */
final class FixedPolicy implements FetchPolicy {

  /**
   * Timeout of every request. Clients pick round numbers between 5 and 30 seconds; ten is in the
   * middle, long enough for a full body request over a slow link, short enough to notice a dead
   * peer within a sync's first minute.
   */
  static final long TIMEOUT_NANOS = 10_000_000_000L;

  @Override
  public String name() {
    return "fixed";
  }

  @Override
  public boolean singleFlight() {
    return true;
  }

  @Override
  public List<Offer> plan(FetchView view) {
    int size = requestSize(view.kind());
    List<PeerConnection> idle = new ArrayList<>();
    for (PeerConnection p : view.peers()) {
      if (p.isIdle(view.kind())) {
        idle.add(p);
      }
    }
    // Stable sort: among peers idle since the same instant, registration order decides.
    idle.sort(Comparator.comparingLong(view::idleSince));
    List<Offer> offers = new ArrayList<>(idle.size());
    for (PeerConnection p : idle) {
      offers.add(new Offer(p, size));
    }
    return offers;
  }

  @Override
  public long timeoutNanos(FetchView view, PeerConnection peer, int items) {
    return TIMEOUT_NANOS;
  }

  /** The fixed request size of a kind: its protocol maximum. */
  static int requestSize(MessageKind kind) {
    return kind.maxFetch();
  }
}
