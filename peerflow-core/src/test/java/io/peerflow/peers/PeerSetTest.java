package io.peerflow.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.peerflow.msgrate.Trackers;
import io.peerflow.time.VirtualTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PeerSetTest {

  private static final long SECOND = 1_000_000_000L;

  private final VirtualTime time = new VirtualTime();
  private final PeerSet set = new PeerSet(time);

  private PeerConnection register(String id, int version) {
    return set.register(new FakePeer(id), version);
  }

  /** Gives {@code peer} a headers capacity of about {@code rate} items/s and round trip. */
  private void measure(PeerConnection peer, int items, long elapsed) {
    peer.fetchHeaders(0, items);
    time.advance(elapsed);
    peer.setIdle(MessageKind.HEADERS, items);
  }

  @Test
  void registerReturnsTheNewConnection() {
    PeerConnection p = register("a", 67);
    assertThat(p.id()).isEqualTo("a");
    assertThat(p.version()).isEqualTo(67);
    assertThat(set.peer("a")).containsSame(p);
    assertThat(set.size()).isEqualTo(1);
    assertThat(set.trackers().size()).isEqualTo(1);
  }

  @Test
  void registeringAnIdTwiceFailsAndKeepsTheFirst() {
    PeerConnection first = register("a", 66);
    assertThatThrownBy(() -> register("a", 67))
        .isInstanceOf(PeerException.class)
        .hasMessage("already registered");
    assertThat(set.peer("a")).containsSame(first);
    assertThat(set.size()).isEqualTo(1);
  }

  @Test
  void unregisteringRemovesThePeerAndItsTracker() {
    PeerConnection p = register("a", 66);
    assertThat(set.unregister("a")).isSameAs(p);
    assertThat(set.peer("a")).isEmpty();
    assertThat(set.size()).isZero();
    assertThat(set.trackers().size()).isZero();
    assertThat(set.trackers().capacity("a", 4, SECOND)).isEqualTo(1);
  }

  @Test
  void unregisteringAConnectionRemovesItAndSaysSo() {
    PeerConnection p = register("a", 66);
    List<PeerEvent> events = new CopyOnWriteArrayList<>();
    set.subscribe(events::add, Runnable::run);
    assertThat(set.unregister(p)).isTrue();
    assertThat(set.peer("a")).isEmpty();
    assertThat(set.trackers().size()).isZero();
    assertThat(events).containsExactly(new PeerEvent(PeerEvent.Type.LEAVE, p));
  }

  @Test
  void unregisteringAConnectionTwiceRemovesItOnceAndNeverThrows() {
    PeerConnection p = register("a", 66);
    assertThat(set.unregister(p)).isTrue();
    assertThat(set.unregister(p)).isFalse();
    assertThat(set.size()).isZero();
  }

  @Test
  void aLateUnregisterOfAnOldConnectionLeavesThePeerThatReconnectedUnderItsId() {
    PeerConnection old = register("a", 66);
    set.unregister("a"); // the transport saw the connection end
    PeerConnection again = register("a", 68); // and the peer dialled back in
    List<PeerEvent> events = new CopyOnWriteArrayList<>();
    set.subscribe(events::add, Runnable::run);

    assertThat(set.unregister(old)).isFalse();

    assertThat(set.peer("a")).containsSame(again);
    assertThat(set.trackers().size()).isEqualTo(1);
    assertThat(events).isEmpty();
  }

  @Test
  void unregisteringAnUnknownIdFails() {
    assertThatThrownBy(() -> set.unregister("ghost"))
        .isInstanceOf(PeerException.class)
        .hasMessage("not registered");
  }

  @Test
  void aNewPeerStartsFromTheMeanCapacitiesAndMedianRoundTrip() {
    PeerConnection a = register("a", 66);
    PeerConnection b = register("b", 66);
    measure(a, 100, 4 * SECOND); // 25 items/s, a tenth of it
    measure(b, 300, 4 * SECOND); // 75 items/s, a tenth of it
    PeerConnection c = register("c", 66);
    assertThat(c.tracker().capacities().get(4L)).isCloseTo(5.0, within(1e-12));
    assertThat(c.tracker().roundTrip()).isEqualTo(set.trackers().medianRoundTrip());
  }

  @Test
  void theFirstPeerStartsWithNothingAndTheLongestRoundTrip() {
    PeerConnection a = register("a", 66);
    assertThat(a.tracker().capacities()).isEmpty();
    assertThat(a.tracker().roundTrip()).isEqualTo(20 * SECOND);
  }

  @Test
  void peersListsEveryoneInRegistrationOrder() {
    PeerConnection a = register("a", 66);
    PeerConnection b = register("b", 67);
    PeerConnection c = register("c", 68);
    set.unregister("b");
    assertThat(set.peers()).containsExactly(a, c);
  }

  @Test
  void idlePeersAreSortedByCapacityHighestFirst() {
    PeerConnection slow = register("slow", 66);
    PeerConnection fast = register("fast", 66);
    PeerConnection mid = register("mid", 66);
    measure(slow, 10, SECOND);
    measure(fast, 1000, SECOND);
    measure(mid, 100, SECOND);
    IdlePeers idle = set.idlePeers(MessageKind.HEADERS, 66, 68);
    assertThat(idle.peers()).containsExactly(fast, mid, slow);
    assertThat(idle.capacities())
        .containsExactly(
            fast.tracker().capacity(4, SECOND),
            mid.tracker().capacity(4, SECOND),
            slow.tracker().capacity(4, SECOND));
    assertThat(idle.capacity(0)).isGreaterThan(idle.capacity(1));
    assertThat(idle.total()).isEqualTo(3);
  }

  @Test
  void idlePeersRankByUncappedCapacity() {
    PeerConnection a = register("a", 66);
    measure(a, 100_000, SECOND); // far above the 192 headers cap
    assertThat(set.idlePeers(MessageKind.HEADERS, 66, 66).capacity(0)).isGreaterThan(192);
  }

  @Test
  void idlePeersSkipBusyPeersButCountThemInTheTotal() {
    register("a", 66);
    PeerConnection b = register("b", 66);
    b.fetchBodies(List.of());
    IdlePeers bodies = set.idlePeers(MessageKind.BODIES, 66, 66);
    assertThat(bodies.peers()).extracting(PeerConnection::id).containsExactly("a");
    assertThat(bodies.total()).isEqualTo(2);
    assertThat(set.idlePeers(MessageKind.HEADERS, 66, 66).peers()).hasSize(2);
  }

  @Test
  void idlePeersOnlyConsiderTheVersionRange() {
    register("old", 65);
    register("a", 66);
    register("b", 67);
    register("new", 68);
    IdlePeers idle = set.idlePeers(MessageKind.RECEIPTS, 66, 67);
    assertThat(idle.peers()).extracting(PeerConnection::id).containsExactlyInAnyOrder("a", "b");
    assertThat(idle.total()).isEqualTo(2);
  }

  @Test
  void idlePeersOfAnEmptySetIsEmpty() {
    IdlePeers idle = set.idlePeers(MessageKind.HEADERS, 0, Integer.MAX_VALUE);
    assertThat(idle.peers()).isEmpty();
    assertThat(idle.total()).isZero();
  }

  @Test
  void tiesKeepRegistrationOrder() {
    register("x", 66);
    register("y", 66);
    register("z", 66);
    assertThat(set.idlePeers(MessageKind.HEADERS, 66, 66).peers())
        .extracting(PeerConnection::id)
        .containsExactly("x", "y", "z");
  }

  @Test
  void resetFreesEveryPeer() {
    PeerConnection a = register("a", 66);
    PeerConnection b = register("b", 66);
    a.fetchHeaders(1, 1);
    b.fetchReceipts(List.of());
    set.reset();
    assertThat(a.isIdle(MessageKind.HEADERS)).isTrue();
    assertThat(b.isIdle(MessageKind.RECEIPTS)).isTrue();
  }

  @Test
  void subscribersSeeJoinsAndLeavesInOrder() {
    List<PeerEvent> events = new CopyOnWriteArrayList<>();
    set.subscribe(events::add, Runnable::run);
    PeerConnection a = register("a", 66);
    PeerConnection b = register("b", 66);
    set.unregister("a");
    assertThat(events)
        .containsExactly(
            new PeerEvent(PeerEvent.Type.JOIN, a),
            new PeerEvent(PeerEvent.Type.JOIN, b),
            new PeerEvent(PeerEvent.Type.LEAVE, a));
  }

  @Test
  void failedRegistrationsPublishNothing() {
    List<PeerEvent> events = new CopyOnWriteArrayList<>();
    register("a", 66);
    set.subscribe(events::add, Runnable::run);
    assertThatThrownBy(() -> register("a", 66)).isInstanceOf(PeerException.class);
    assertThatThrownBy(() -> set.unregister("b")).isInstanceOf(PeerException.class);
    assertThat(events).isEmpty();
  }

  @Test
  void aClosedSubscriptionReceivesNothingMore() {
    List<PeerEvent> events = new CopyOnWriteArrayList<>();
    PeerSet.Subscription s = set.subscribe(events::add, Runnable::run);
    register("a", 66);
    s.close();
    register("b", 66);
    assertThat(events).extracting(e -> e.peer().id()).containsExactly("a");
  }

  @Test
  void listenersRunOutsideTheSetsLock() {
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    // A listener that registers from the event would deadlock if called under the lock.
    set.subscribe(
        e -> {
          sizes.add(set.size());
          if (e.peer().id().equals("a")) {
            register("b", 66);
          }
        },
        Runnable::run);
    register("a", 66);
    assertThat(set.size()).isEqualTo(2);
    assertThat(sizes).containsExactly(1, 2);
  }

  @Test
  void aSlowSubscriberDoesNotHoldUpRegistrationOrOtherSubscribers() throws Exception {
    ExecutorService slowThread = Executors.newSingleThreadExecutor();
    try {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch blocked = new CountDownLatch(1);
      set.subscribe(
          e -> {
            blocked.countDown();
            try {
              release.await();
            } catch (InterruptedException ex) {
              Thread.currentThread().interrupt();
            }
          },
          slowThread);
      List<String> fast = new CopyOnWriteArrayList<>();
      set.subscribe(e -> fast.add(e.peer().id()), Runnable::run);

      register("a", 66);
      assertThat(blocked.await(5, TimeUnit.SECONDS)).isTrue();
      register("b", 66); // the slow subscriber is stuck on "a"
      set.unregister("a");
      assertThat(fast).containsExactly("a", "b", "a");
      release.countDown();
    } finally {
      slowThread.shutdown();
      assertThat(slowThread.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aCustomTimeoutCeilingIsHonoured() {
    PeerSet custom = new PeerSet(new Trackers(time, 5 * SECOND));
    assertThat(custom.trackers().targetTimeout()).isEqualTo(5 * SECOND);
  }
}
