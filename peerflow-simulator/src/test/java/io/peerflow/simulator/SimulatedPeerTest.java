package io.peerflow.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.chain.Hash;
import io.peerflow.peers.MessageKind;
import io.peerflow.time.VirtualTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SimulatedPeerTest {

  private static final long MS = 1_000_000L;
  private static final double BANDWIDTH = 1_000_000; // bytes per second

  private final VirtualTime time = new VirtualTime();
  private final ItemCatalog bodies = new ItemCatalog(MessageKind.BODIES, 1_000, 7);

  private SimulatedPeer peer(ItemCatalog catalog, Behaviour behaviour) {
    PeerProfile profile = new PeerProfile("p", 1, BANDWIDTH, BANDWIDTH, 100, 0, 1, behaviour);
    SimulatedPeer p = new SimulatedPeer("p-01", profile, 0, time, catalog, new SplittableRandom(1));
    p.connect();
    return p;
  }

  private List<Hash> hashes(ItemCatalog catalog, int from, int to) {
    List<Hash> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(catalog.hash(i));
    }
    return out;
  }

  private long serviceNanos(int... items) {
    double s = 0;
    for (int i : items) {
      s += MS + bodies.size(i) / BANDWIDTH * 1e9;
    }
    return (long) s;
  }

  @SuppressWarnings("unchecked")
  private static SimulatedResponse answer(CompletableFuture<?> f) {
    return ((CompletableFuture<SimulatedResponse>) f).getNow(null);
  }

  @Test
  void anAnswerArrivesAfterTheLatencyBothWaysPlusTheServiceTime() {
    SimulatedPeer p = peer(bodies, new Behaviour.Honest());
    long start = time.nanos();
    CompletableFuture<?> f = p.requestBodies(hashes(bodies, 0, 3));
    long due = start + 200 * MS + serviceNanos(0, 1, 2);

    time.runUntil(due - 1);
    assertThat(f).isNotDone();
    time.runUntil(due);
    assertThat(answer(f).itemCount()).isEqualTo(3);
  }

  @Test
  void requestsAreServedOneAtATimeInArrivalOrder() {
    SimulatedPeer p = peer(bodies, new Behaviour.Honest());
    long start = time.nanos();
    CompletableFuture<?> first = p.requestBodies(hashes(bodies, 0, 5));
    CompletableFuture<?> second = p.requestBodies(hashes(bodies, 5, 6));

    time.runUntil(start + 200 * MS + serviceNanos(0, 1, 2, 3, 4) + serviceNanos(5) - 2);
    assertThat(first).isDone();
    assertThat(second).isNotDone();
    time.advance(2);
    assertThat(second).isDone();
  }

  @Test
  void anAnswerStopsOnceItPassesTheSoftLimit() {
    SimulatedPeer p = peer(bodies, new Behaviour.Honest());
    CompletableFuture<?> f = p.requestBodies(hashes(bodies, 0, 128));
    time.advance(60_000 * MS);

    SimulatedResponse r = answer(f);
    long bytes = 0;
    for (int i = 0; i < r.itemCount() - 1; i++) {
      bytes += bodies.size(r.item(i));
    }
    assertThat(r.itemCount()).isLessThan(128);
    assertThat(bytes).isLessThan(SimulatedPeer.SOFT_RESPONSE_LIMIT);
    assertThat(bytes + bodies.size(r.item(r.itemCount() - 1)))
        .isGreaterThanOrEqualTo(SimulatedPeer.SOFT_RESPONSE_LIMIT);
  }

  @Test
  void anAnswerHoldsNoMoreThanTheKindsMaximum() {
    ItemCatalog headers = new ItemCatalog(MessageKind.HEADERS, 1_000, 7);
    SimulatedPeer p = peer(headers, new Behaviour.Honest());
    CompletableFuture<?> f = p.requestHeadersByNumber(0, 500, 0, false);
    time.advance(60_000 * MS);

    SimulatedResponse r = answer(f);
    assertThat(r.itemCount()).isEqualTo(MessageKind.HEADERS.maxFetch());
    assertThat(r.item(0)).isZero();
    assertThat(r.item(191)).isEqualTo(191);
  }

  @Test
  void aLackingPeerLeavesOutOneContiguousRange() {
    SimulatedPeer p = peer(bodies, new Behaviour.Lacking(0.5));
    List<Integer> served = new ArrayList<>();
    for (int from = 0; from < 1_000; from += 20) {
      CompletableFuture<?> f = p.requestBodies(hashes(bodies, from, from + 20));
      time.advance(60_000 * MS);
      SimulatedResponse r = answer(f);
      for (int i = 0; i < r.itemCount(); i++) {
        served.add(r.item(i));
      }
    }
    List<Integer> missing =
        IntStream.range(0, 1_000).boxed().filter(i -> !served.contains(i)).toList();
    assertThat(missing).hasSize(500);
    assertThat(missing.get(499) - missing.get(0)).isEqualTo(499);
  }

  @Test
  void aPartialPeerServesOnlyPartOfWhatItCould() {
    SimulatedPeer p = peer(bodies, new Behaviour.Partial(0.2, 0.6));
    CompletableFuture<?> f = p.requestBodies(hashes(bodies, 0, 40));
    time.advance(60_000 * MS);

    assertThat(answer(f).itemCount()).isBetween(8, 24);
  }

  @Test
  void aLyingPeerAnswersOnTimeWithWrongContents() {
    SimulatedPeer p = peer(bodies, new Behaviour.Lying());
    CompletableFuture<?> f = p.requestBodies(hashes(bodies, 0, 3));
    time.advance(60_000 * MS);

    SimulatedResponse r = answer(f);
    assertThat(r.itemCount()).isEqualTo(3);
    for (int i = 0; i < 3; i++) {
      assertThat(r.payload(i)).isNotEqualTo(bodies.payload(r.item(i)));
    }
  }

  @Test
  void aStallingPeerAnswersUntilItStallsAndNeverAfter() {
    SimulatedPeer p = peer(bodies, new Behaviour.Stalling(5));
    CompletableFuture<?> before = p.requestBodies(hashes(bodies, 0, 3));
    time.advance(6_000 * MS);
    CompletableFuture<?> after = p.requestBodies(hashes(bodies, 3, 6));
    time.advance(3_600_000 * MS);

    assertThat(before).isDone();
    assertThat(after).isNotDone();
  }

  @Test
  void disconnectingFailsTheRequestsInFlightAndRefusesNewOnes() {
    SimulatedPeer p = peer(bodies, new Behaviour.Honest());
    CompletableFuture<?> f = p.requestBodies(hashes(bodies, 0, 3));
    p.disconnect();
    time.advance(60_000 * MS);

    assertThat(f).isCompletedExceptionally();
    assertThat(p.requestBodies(hashes(bodies, 0, 3))).isCompletedExceptionally();
  }

  @Test
  void theTrueRateIsOneItemPerLookupPlusAverageTransfer() {
    SimulatedPeer p = peer(bodies, new Behaviour.Honest());
    assertThat(p.trueRate())
        .isEqualTo(
            1 / (0.001 + bodies.meanSize() / BANDWIDTH),
            org.assertj.core.api.Assertions.within(1e-9));
  }
}
