package io.peerflow.peers;

import static io.peerflow.peers.FakePeer.hash;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.peerflow.msgrate.Tracker;
import io.peerflow.time.VirtualTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class PeerConnectionTest {

  private static final long SECOND = 1_000_000_000L;

  private final VirtualTime time = new VirtualTime();
  private final FakePeer remote = new FakePeer("peer-1");
  private final Tracker tracker = new Tracker(Map.of(), SECOND);
  private final PeerConnection peer = new PeerConnection(remote, 67, tracker, time);

  @Test
  void exposesIdVersionTransportAndTracker() {
    assertThat(peer.id()).isEqualTo("peer-1");
    assertThat(peer.version()).isEqualTo(67);
    assertThat(peer.peer()).isSameAs(remote);
    assertThat(peer.tracker()).isSameAs(tracker.view());
  }

  @Test
  void measuringFeedsTheTrackerAndLeavesTheBusyFlagAlone() {
    peer.fetchBodies(List.of(hash(1)));
    peer.measure(MessageKind.BODIES, SECOND, 50);
    assertThat(peer.tracker().capacities().get((long) MessageKind.BODIES.code()))
        .isCloseTo(5.0, within(1e-9));
    assertThat(peer.isIdle(MessageKind.BODIES)).isFalse();
  }

  @Test
  void fetchingHeadersAsksForAscendingHeadersWithoutGaps() {
    peer.fetchHeaders(1000, 192);
    assertThat(remote.requests).containsExactly("headers #1000 x192 skip 0");
    assertThat(peer.isIdle(MessageKind.HEADERS)).isFalse();
  }

  @Test
  void fetchingHeadersByHashAsksFromThatBlock() {
    peer.fetchHeaders(hash(7), 5);
    assertThat(remote.requests).containsExactly("headers " + hash(7) + " x5 skip 0");
  }

  @Test
  void fetchReturnsTheTransportsFuture() {
    CompletableFuture<? extends Response> f = peer.fetchBodies(List.of(hash(1), hash(2)));
    assertThat(f).isSameAs(remote.futures.get(0));
    assertThat(remote.requests).containsExactly("bodies 2");
  }

  @Test
  void fetchingAKindAlreadyInFlightFailsAndSendsNothing() {
    peer.fetchReceipts(List.of(hash(1)));
    assertThatThrownBy(() -> peer.fetchReceipts(List.of(hash(2))))
        .isInstanceOf(PeerException.class)
        .hasMessage("already fetching");
    assertThat(remote.requests).containsExactly("receipts 1");
  }

  @Test
  void kindsAreBusyIndependently() {
    peer.fetchHeaders(1, 1);
    peer.fetchBodies(List.of());
    peer.fetchReceipts(List.of());
    assertThat(peer.isIdle(MessageKind.NODE_DATA)).isTrue();
    peer.setIdle(MessageKind.BODIES, 1);
    assertThat(peer.isIdle(MessageKind.BODIES)).isTrue();
    assertThat(peer.isIdle(MessageKind.HEADERS)).isFalse();
    assertThat(peer.isIdle(MessageKind.RECEIPTS)).isFalse();
  }

  @Test
  void settlingMeasuresTheTimeSinceTheFetchStarted() {
    peer.fetchHeaders(1, 100);
    time.advance(2 * SECOND);
    assertThat(peer.setIdle(MessageKind.HEADERS, 100)).isTrue();
    // 50 items/s, a tenth of it from a start of 0; round trip 0.9 x 1 s + 0.1 x 2 s
    assertThat(tracker.capacities().get(4L)).isCloseTo(5.0, within(1e-12));
    assertThat(tracker.roundTrip()).isEqualTo(1_100_000_000L);
    assertThat(peer.isIdle(MessageKind.HEADERS)).isTrue();
  }

  @Test
  void settlingWithAnExplicitDeliveryTimeUsesIt() {
    long start = time.nanos();
    peer.fetchBodies(List.of());
    time.advance(10 * SECOND);
    peer.setIdle(MessageKind.BODIES, 10, start + SECOND);
    assertThat(tracker.capacities().get(6L)).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void settlingWithZeroItemsDropsTheCapacityToZero() {
    Tracker fast = new Tracker(Map.of(4L, 1e6), SECOND);
    PeerConnection p = new PeerConnection(remote, 66, fast, time);
    p.fetchHeaders(1, 1);
    p.setIdle(MessageKind.HEADERS, 0);
    assertThat(p.capacity(MessageKind.HEADERS, SECOND)).isEqualTo(1);
  }

  @Test
  void settlingAnIdleKindMeasuresNothing() {
    assertThat(peer.setIdle(MessageKind.HEADERS, 100)).isFalse();
    peer.fetchHeaders(1, 1);
    assertThat(peer.setIdle(MessageKind.HEADERS, 0)).isTrue();
    assertThat(peer.setIdle(MessageKind.HEADERS, 100)).isFalse();
    assertThat(tracker.capacities()).containsEntry(4L, 0.0);
  }

  @Test
  void aTransportThatThrowsLeavesTheKindIdle() {
    remote.failWith = new IllegalStateException("disconnected");
    assertThatThrownBy(() -> peer.fetchHeaders(1, 1)).hasMessage("disconnected");
    assertThat(peer.isIdle(MessageKind.HEADERS)).isTrue();
    remote.failWith = null;
    peer.fetchHeaders(1, 1);
    assertThat(remote.requests).hasSize(1);
  }

  @Test
  void nodeDataIsUnsupportedByDefaultButStillNeedsSettling() {
    CompletableFuture<? extends Response> f = peer.fetchNodeData(List.of(hash(1)));
    assertThatThrownBy(f::get)
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(UnsupportedOperationException.class);
    assertThat(peer.isIdle(MessageKind.NODE_DATA)).isFalse();
    peer.setIdle(MessageKind.NODE_DATA, 0);
    assertThat(peer.isIdle(MessageKind.NODE_DATA)).isTrue();
  }

  @Test
  void kindsOfOtherProtocolsAreFetchedThroughTheGeneralForm() {
    MessageKind storage = MessageKind.define("storage ranges (test)", 0x203, 512);
    CompletableFuture<Response> f = peer.fetch(storage, p -> new CompletableFuture<>());
    assertThat(peer.isIdle(storage)).isFalse();
    assertThatThrownBy(() -> peer.fetch(storage, p -> new CompletableFuture<>()))
        .hasMessage("already fetching");
    f.complete(FakePeer.items(3));
    peer.setIdle(storage, f.join().itemCount());
    assertThat(tracker.capacities()).containsKey(0x203L);
    assertThat(peer.capacity(storage, SECOND)).isLessThanOrEqualTo(512);
  }

  @Test
  void capacityIsCappedAtEachKindsFetchLimit() {
    Tracker huge = new Tracker(Map.of(4L, 1e9, 6L, 1e9, 14L, 1e9, 16L, 1e9), SECOND);
    PeerConnection p = new PeerConnection(remote, 66, huge, time);
    assertThat(p.capacity(MessageKind.HEADERS, SECOND)).isEqualTo(192);
    assertThat(p.capacity(MessageKind.BODIES, SECOND)).isEqualTo(128);
    assertThat(p.capacity(MessageKind.RECEIPTS, SECOND)).isEqualTo(256);
    assertThat(p.capacity(MessageKind.NODE_DATA, SECOND)).isEqualTo(384);
  }

  @Test
  void capacityBelowTheCapIsTheTrackersEstimate() {
    Tracker slow = new Tracker(Map.of(4L, 10.0), SECOND);
    PeerConnection p = new PeerConnection(remote, 66, slow, time);
    assertThat(p.capacity(MessageKind.HEADERS, SECOND)).isEqualTo(12);
  }

  @Test
  void remembersWhatThePeerLacks() {
    assertThat(peer.lacks(hash(1))).isFalse();
    peer.markLacking(hash(1));
    assertThat(peer.lacks(hash(1))).isTrue();
    assertThat(peer.lacks(hash(2))).isFalse();
  }

  @Test
  void lackingSetEvictsTheOldestEntryAt4096() {
    for (int i = 0; i < 4096; i++) {
      peer.markLacking(hash(i));
    }
    assertThat(peer.lackingCount()).isEqualTo(4096);
    assertThat(peer.lacks(hash(0))).isTrue();
    peer.markLacking(hash(4096));
    assertThat(peer.lackingCount()).isEqualTo(4096);
    assertThat(peer.lacks(hash(0))).isFalse();
    assertThat(peer.lacks(hash(1))).isTrue();
    assertThat(peer.lacks(hash(4096))).isTrue();
  }

  @Test
  void markingAHashAlreadyRememberedEvictsNothing() {
    for (int i = 0; i < 4096; i++) {
      peer.markLacking(hash(i));
    }
    peer.markLacking(hash(100));
    assertThat(peer.lacks(hash(0))).isTrue();
    assertThat(peer.lackingCount()).isEqualTo(4096);
  }

  @Test
  void resetFreesEveryKindAndForgetsLackingHashes() {
    peer.fetchHeaders(1, 1);
    peer.fetchBodies(List.of());
    peer.markLacking(hash(1));
    peer.reset();
    assertThat(MessageKind.all()).allMatch(peer::isIdle);
    assertThat(peer.lacks(hash(1))).isFalse();
    // the fetches in flight before the reset no longer count
    assertThat(peer.setIdle(MessageKind.HEADERS, 5)).isFalse();
    assertThat(tracker.capacities()).isEmpty();
  }
}
