package io.peerflow.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.peers.MessageKind;
import io.peerflow.peers.PeerConnection;
import io.peerflow.peers.PeerSet;
import io.peerflow.time.SystemTimer;
import io.peerflow.time.VirtualTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The scheduler's mechanics, in virtual time, mostly under go-ethereum's policy. */
class FetchSchedulerTest {

  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000 * MS;
  private static final int BODIES = MessageKind.BODIES.code();

  private final VirtualTime time = new VirtualTime();
  private final PeerSet set = new PeerSet(time);
  private final List<String> drops = new ArrayList<>();
  private ItemQueue queue;
  private FetchScheduler<ItemQueue.Batch> scheduler;
  private CompletableFuture<FetchSummary> run;

  private PeerConnection join(FakePeer peer) {
    PeerConnection c = set.register(peer, 68);
    time.advance(0);
    return c;
  }

  private void start(int items, FetchPolicy policy) {
    start(new ItemQueue(items, true), policy);
  }

  private void start(ItemQueue q, FetchPolicy policy) {
    queue = q;
    scheduler =
        FetchScheduler.builder(set, queue, time)
            .policy(policy)
            .dropper((peer, reason, detail) -> drops.add(peer.id() + ": " + reason))
            .build();
    run = scheduler.start();
    time.advance(0);
  }

  /** The scheduler's statistics, taken in virtual time. */
  private List<PeerStats> stats() {
    CompletableFuture<List<PeerStats>> f = scheduler.stats();
    time.advance(0);
    return f.getNow(null);
  }

  /** Gives the peer's tracker a capacity of {@code perSecond} bodies per second. */
  private static void capacity(PeerConnection c, double perSecond) {
    for (int i = 0; i < 100; i++) {
      c.measure(MessageKind.BODIES, SECOND, (long) perSecond);
    }
  }

  private static Throwable failure(CompletableFuture<?> f) {
    assertThat(f).isCompletedExceptionally();
    try {
      f.get();
      throw new AssertionError("not failed");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (CancellationException e) {
      return e;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void eachRequestAsksForThePeersCapacityAtTheTargetRoundTripCappedPerKind() {
    FakePeer slow = new FakePeer("slow");
    FakePeer fast = new FakePeer("fast");
    PeerConnection cs = join(slow);
    PeerConnection cf = join(fast);
    capacity(cs, 3);
    capacity(cf, 1_000);
    int expectedSlow = cs.capacity(MessageKind.BODIES, set.trackers().targetRoundTrip());
    assertThat(expectedSlow).isBetween(3, 127);

    start(1_000, FetchPolicy.geth());

    assertThat(fast.requests).hasSize(1);
    assertThat(slow.requests).hasSize(1);
    // The faster peer is served first, so it holds the lowest items.
    assertThat(fast.last().items).isEqualTo(IntStream.range(0, 128).boxed().toList());
    assertThat(slow.last().items).hasSize(expectedSlow).startsWith(128);
  }

  @Test
  void aTimedOutRequestGoesStaleThenItsPeerIsDroppedAfterTheGracePeriod() {
    FakePeer staller = new FakePeer("staller");
    FakePeer honest = new FakePeer("honest");
    PeerConnection cs = join(staller);
    PeerConnection ch = join(honest);
    capacity(cs, 1_000);
    capacity(ch, 2);
    start(1_000, FetchPolicy.geth());
    long timeout = set.trackers().targetTimeout();
    List<Integer> stalled = staller.last().items;
    assertThat(stalled).hasSize(128);
    time.advance(timeout / 2);
    honest.last().answerAll();

    time.advance(timeout / 2);
    // Stale: the items are back in the pool, the peer is kept but stays busy, its capacity is 0.
    assertThat(queue.unreserved).extracting(ItemQueue.Batch::items).containsExactly(stalled);
    assertThat(set.peer("staller")).isPresent();
    assertThat(cs.isIdle(MessageKind.BODIES)).isFalse();
    assertThat(cs.tracker().capacities().get((long) BODIES)).isZero();
    time.advance(SECOND);
    honest.last().answerAll();
    time.advance(0);
    assertThat(honest.last().items).contains(stalled.get(0));
    assertThat(staller.requests).hasSize(1);
    assertThat(drops).isEmpty();

    time.advance(FetchScheduler.GRACE_PERIOD_NANOS - timeout - SECOND);
    assertThat(drops).isEmpty();
    time.advance(1);
    assertThat(drops).containsExactly("staller: STALLING");
    assertThat(set.peer("staller")).isEmpty();
  }

  @Test
  void aTimeoutOfMoreThanTwoItemsZeroesCapacityButATimeoutOfTwoOrFewerDropsThePeer() {
    FakePeer big = new FakePeer("big");
    FakePeer small = new FakePeer("small");
    PeerConnection cb = join(big);
    PeerConnection csm = join(small);
    capacity(cb, 1_000);
    start(1_000, FetchPolicy.geth());
    assertThat(big.last().items).hasSize(128);
    assertThat(small.last().items)
        .hasSize(csm.capacity(MessageKind.BODIES, SECOND))
        .hasSizeLessThanOrEqualTo(2);

    time.advance(set.trackers().targetTimeout());

    assertThat(cb.tracker().capacities().get((long) BODIES)).isZero();
    assertThat(drops).containsExactly("small: TIMEOUT");
    assertThat(set.peer("big")).isPresent();
    assertThat(set.peer("small")).isEmpty();
  }

  @Test
  void aLateAnswerIdlesThePeerWithoutDeliveringItsItems() {
    FakePeer late = new FakePeer("late");
    FakePeer other = new FakePeer("other");
    PeerConnection cl = join(late);
    join(other);
    capacity(cl, 1_000);
    start(1_000, FetchPolicy.geth());
    FakePeer.Request first = late.last();
    time.advance(set.trackers().targetTimeout() + SECOND);
    assertThat(cl.isIdle(MessageKind.BODIES)).isFalse();

    first.answerAll();
    time.advance(0);

    assertThat(first.items).allSatisfy(i -> assertThat(queue.acceptedCount(i)).isZero());
    assertThat(late.requests).hasSize(2); // idle again, so it got new work at once
    assertThat(late.last().items).hasSize(1); // with its capacity back at the minimum
    assertThat(stats())
        .filteredOn(p -> p.id().equals("late"))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.lateAnswers()).isEqualTo(1);
              assertThat(p.timeouts()).isEqualTo(1);
              assertThat(p.dropped()).isEmpty();
            });
  }

  @Test
  void aPeerLeavingReturnsItsReservationAtOnce() {
    FakePeer leaver = new FakePeer("leaver");
    FakePeer stayer = new FakePeer("stayer");
    PeerConnection cl = join(leaver);
    join(stayer);
    capacity(cl, 1_000);
    start(1_000, FetchPolicy.geth());
    List<Integer> held = leaver.last().items;
    stayer.last().answerAll();
    time.advance(0);
    assertThat(stayer.last().items).doesNotContainAnyElementsOf(held);

    set.unregister("leaver");
    time.advance(0);
    stayer.last().answerAll();
    time.advance(0);

    assertThat(queue.unreserved).extracting(ItemQueue.Batch::items).containsExactly(held);
    assertThat(stayer.last().items).contains(held.get(0));
    assertThat(drops).isEmpty();
  }

  @Test
  void aNewPeerGetsWorkAtTheNextWakeUp() {
    FakePeer first = new FakePeer("first");
    join(first);
    start(1_000, FetchPolicy.geth());
    assertThat(first.requests).hasSize(1);

    FakePeer newcomer = new FakePeer("newcomer");
    join(newcomer);

    assertThat(newcomer.requests).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"geth", "fixed", "pipelined"})
  void itemsAPeerLacksAreNeverAssignedToIt(String policy) {
    FakePeer lacker = new FakePeer("lacker").autoAnswer(time, 50 * MS, MS);
    FakePeer full = new FakePeer("full").autoAnswer(time, 50 * MS, MS);
    PeerConnection cl = join(lacker);
    join(full);
    for (int i = 0; i < 300; i += 3) {
      cl.markLacking(ItemQueue.hash(i));
    }
    start(600, FetchPolicy.byName(policy));
    time.runUntilIdle(100_000);

    assertThat(run).isCompleted();
    assertThat(lacker.requests).isNotEmpty();
    for (FakePeer.Request r : lacker.requests) {
      assertThat(r.items).noneMatch(i -> i < 300 && i % 3 == 0);
    }
    assertThat(queue.allAcceptedOnce()).isTrue();
  }

  @Test
  void anEmptyAnswerMarksItsItemsLackingAndHandsThemToAnotherPeer() {
    FakePeer empty = new FakePeer("empty");
    FakePeer other = new FakePeer("other");
    PeerConnection ce = join(empty);
    join(other);
    capacity(ce, 1_000);
    start(1_000, FetchPolicy.geth());
    List<Integer> asked = empty.last().items;

    empty.last().answer(List.of());
    time.advance(0);

    assertThat(asked).allSatisfy(i -> assertThat(ce.lacks(ItemQueue.hash(i))).isTrue());
    assertThat(empty.last().items).doesNotContainAnyElementsOf(asked);
    other.last().answerAll();
    time.advance(0);
    assertThat(other.last().items).contains(asked.get(0));
  }

  @Test
  void anInvalidDeliveryDropsThePeerAndRequeuesItsItems() {
    FakePeer liar = new FakePeer("liar");
    FakePeer honest = new FakePeer("honest").autoAnswer(time, 10 * MS, MS);
    PeerConnection cl = join(liar);
    join(honest);
    capacity(cl, 1_000);
    start(500, FetchPolicy.geth());
    List<Integer> lied = liar.last().items;

    liar.last().answerJunk();
    time.runUntilIdle(100_000);

    assertThat(drops).containsExactly("liar: INVALID_DELIVERY");
    assertThat(set.peer("liar")).isEmpty();
    assertThat(lied).allSatisfy(i -> assertThat(queue.acceptedCount(i)).isEqualTo(1));
    assertThat(run).isCompleted();
    assertThat(queue.allAcceptedOnce()).isTrue();
  }

  @Test
  void aFailedRequestDropsThePeerAndRequeuesItsItems() {
    FakePeer broken = new FakePeer("broken");
    FakePeer honest = new FakePeer("honest").autoAnswer(time, 10 * MS, MS);
    join(broken);
    join(honest);
    start(200, FetchPolicy.geth());

    broken.last().answer.completeExceptionally(new IllegalStateException("connection reset"));
    time.runUntilIdle(100_000);

    assertThat(drops).containsExactly("broken: REQUEST_FAILED");
    assertThat(run).isCompleted();
    assertThat(queue.allAcceptedOnce()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"geth", "fixed", "pipelined"})
  void aRequestThatCannotBeSentReturnsItsItemsAtOnce(String policy) {
    PeerConnection refusing = join(new FakePeer("refusing").refusing());
    FakePeer honest = new FakePeer("honest").autoAnswer(time, 10 * MS, MS);
    join(honest);
    start(300, FetchPolicy.byName(policy));
    time.runUntilIdle(100_000);

    assertThat(run).isCompleted();
    assertThat(queue.allAcceptedOnce()).isTrue();
    assertThat(refusing.isIdle(MessageKind.BODIES)).isTrue();
    assertThat(drops).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"geth", "fixed", "pipelined"})
  void nothingIsRequestedTwiceWhenEveryPeerIsHonest(String policy) {
    List<FakePeer> peers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      FakePeer p = new FakePeer("p" + i).autoAnswer(time, (20 + 30 * i) * MS, (1 + i) * MS);
      peers.add(p);
      join(p);
    }
    start(3_000, FetchPolicy.byName(policy));
    time.runUntilIdle(1_000_000);

    assertThat(run).isCompleted();
    Map<Integer, Integer> asked = new HashMap<>();
    for (FakePeer p : peers) {
      for (FakePeer.Request r : p.requests) {
        r.items.forEach(i -> asked.merge(i, 1, Integer::sum));
      }
    }
    assertThat(asked).hasSize(3_000);
    assertThat(asked.values()).containsOnly(1);
    assertThat(queue.allAcceptedOnce()).isTrue();
    assertThat(run.join().itemsAccepted()).isEqualTo(3_000);
    assertThat(run.join().peers()).allSatisfy(p -> assertThat(p.timeouts()).isZero());
  }

  @Test
  void schedulersOfSeveralKindsShareOnePeerSet() {
    FakePeer a = new FakePeer("a").autoAnswer(time, 20 * MS, MS);
    FakePeer b = new FakePeer("b").autoAnswer(time, 30 * MS, 2 * MS);
    join(a);
    join(b);
    ItemQueue bodies = new ItemQueue(MessageKind.BODIES, 2_000, true);
    ItemQueue receipts = new ItemQueue(MessageKind.RECEIPTS, 2_000, true);
    CompletableFuture<FetchSummary> bodyRun =
        FetchScheduler.builder(set, bodies, time).policy(FetchPolicy.geth()).build().start();
    CompletableFuture<FetchSummary> receiptRun =
        FetchScheduler.builder(set, receipts, time).policy(FetchPolicy.pipelined()).build().start();
    time.runUntilIdle(1_000_000);

    assertThat(bodyRun.join().kind()).isEqualTo(MessageKind.BODIES);
    assertThat(receiptRun.join().kind()).isEqualTo(MessageKind.RECEIPTS);
    assertThat(bodies.allAcceptedOnce()).isTrue();
    assertThat(receipts.allAcceptedOnce()).isTrue();
  }

  @Test
  void aPeerDroppedByOneSchedulerGivesBackWhatTheOthersReservedForIt() {
    FakePeer liar = new FakePeer("liar");
    FakePeer honest = new FakePeer("honest").autoAnswer(time, 20 * MS, MS);
    PeerConnection cl = join(liar);
    join(honest);
    capacity(cl, 1_000);
    ItemQueue receipts = new ItemQueue(MessageKind.RECEIPTS, 500, true);
    FetchScheduler.builder(set, receipts, time).policy(FetchPolicy.geth()).build().start();
    start(500, FetchPolicy.geth()); // bodies
    FakePeer.Request receiptRequest = liar.requests.get(0);

    liar.requests.get(1).answerJunk(); // the body scheduler drops it
    time.advance(0);

    assertThat(drops).containsExactly("liar: INVALID_DELIVERY");
    assertThat(receipts.unreserved)
        .extracting(ItemQueue.Batch::items)
        .containsExactly(receiptRequest.items);
  }

  @Test
  void theRunFailsWithNoPeersLeftWhenTheLastPeerGoes() {
    FakePeer only = new FakePeer("only");
    join(only);
    start(100, FetchPolicy.geth());

    set.unregister("only");
    time.advance(0);

    assertThat(failure(run))
        .isInstanceOf(FetchException.class)
        .hasMessageStartingWith("no peers left");
    assertThat(((FetchException) failure(run)).reason())
        .isEqualTo(FetchException.Reason.NO_PEERS_LEFT);
    assertThat(queue.pending()).isEqualTo(100);
  }

  @Test
  void theRunFailsWhenTheIdlePeersLackEveryPendingItem() {
    FakePeer lacker = new FakePeer("lacker");
    PeerConnection c = join(lacker);
    for (int i = 0; i < 10; i++) {
      c.markLacking(ItemQueue.hash(i));
    }
    start(10, FetchPolicy.geth());

    assertThat(failure(run))
        .isInstanceOf(FetchException.class)
        .hasMessageStartingWith("peers unavailable");
  }

  @Test
  void theRunEndsOnlyOnceTheQueueIsClosedAndDrained() {
    join(new FakePeer("p").autoAnswer(time, 10 * MS, MS));
    ItemQueue open = new ItemQueue(5, false);
    start(open, FetchPolicy.geth());
    time.runUntilIdle(10_000);
    assertThat(open.pending()).isZero();
    assertThat(run).isNotDone();

    open.add(5);
    scheduler.wake();
    time.runUntilIdle(10_000);
    assertThat(open.allAcceptedOnce()).isTrue();
    assertThat(run).isNotDone();

    open.close();
    scheduler.wake();
    time.runUntilIdle(10_000);
    assertThat(run).isCompleted();
    assertThat(run.join().itemsAccepted()).isEqualTo(10);
  }

  @Test
  void cancellingReturnsTheReservationsInFlight() {
    FakePeer p = new FakePeer("p");
    join(p);
    start(100, FetchPolicy.geth());
    assertThat(queue.pending()).isEqualTo(99);

    scheduler.cancel();
    time.advance(0);

    assertThat(failure(run)).isInstanceOf(CancellationException.class);
    assertThat(queue.pending()).isEqualTo(100);
    p.last().answerAll();
    time.advance(0);
    assertThat(set.peer("p").orElseThrow().isIdle(MessageKind.BODIES)).isTrue();
  }

  @Test
  void answersCompletedOnOtherThreadsAreHandledInRealTime() throws Exception {
    Executor network = CompletableFuture.delayedExecutor(2, TimeUnit.MILLISECONDS);
    List<FakePeer> peers = new ArrayList<>();
    try (SystemTimer timer = new SystemTimer("fetch-test")) {
      PeerSet realSet = new PeerSet(timer.clock());
      for (int i = 0; i < 4; i++) {
        FakePeer p = new FakePeer("p" + i).answerOn(network);
        peers.add(p);
        realSet.register(p, 68);
      }
      ItemQueue q = new ItemQueue(2_000, true);
      FetchSummary summary =
          FetchScheduler.builder(realSet, q, timer)
              .policy(FetchPolicy.pipelined())
              .build()
              .start()
              .get(30, TimeUnit.SECONDS);
      assertThat(summary.itemsAccepted()).isEqualTo(2_000);
      assertThat(q.allAcceptedOnce()).isTrue();
    }
  }
}
