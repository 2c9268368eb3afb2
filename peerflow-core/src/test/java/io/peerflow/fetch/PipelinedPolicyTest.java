package io.peerflow.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.peerflow.peers.PeerSet;
import io.peerflow.time.VirtualTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PipelinedPolicyTest {

  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000 * MS;

  private final VirtualTime time = new VirtualTime();
  private final PeerSet set = new PeerSet(time);
  private final List<String> drops = new ArrayList<>();

  private CompletableFuture<FetchSummary> run(ItemQueue queue, FetchPolicy policy) {
    CompletableFuture<FetchSummary> run =
        FetchScheduler.builder(set, queue, time)
            .policy(policy)
            .dropper((peer, reason, detail) -> drops.add(peer.id() + ": " + reason))
            .build()
            .start();
    time.advance(0);
    return run;
  }

  private static double seconds(CompletableFuture<FetchSummary> run) {
    return run.join().elapsedNanos() / 1e9;
  }

  @Test
  void aNewcomerGetsAOneItemProbeAndACompanionRequestFirst() {
    FakePeer p = new FakePeer("p");
    set.register(p, 68);
    run(new ItemQueue(1_000, true), FetchPolicy.pipelined());

    assertThat(p.requests).hasSize(2);
    assertThat(p.requests.get(0).items).containsExactly(0);
    assertThat(p.requests.get(1).items).hasSize(PipelinedPolicy.FIRST_PROBE_ITEMS);
  }

  @Test
  void aPeerThatNeverAnswersItsProbeIsDroppedAfterTheProbeTimeout() {
    set.register(new FakePeer("silent"), 68);
    set.register(new FakePeer("honest").autoAnswer(time, 50 * MS, MS), 68);
    ItemQueue queue = new ItemQueue(50_000, true);
    run(queue, FetchPolicy.pipelined());

    time.advance(PipelinedPolicy.PROBE_TIMEOUT_NANOS - 1);
    assertThat(drops).isEmpty();
    time.advance(1);
    assertThat(drops).containsExactly("silent: TIMEOUT");
    assertThat(PipelinedPolicy.PROBE_TIMEOUT_NANOS).isLessThan(FetchScheduler.GRACE_PERIOD_NANOS);
  }

  @Test
  void aHighLatencyPeerIsKeptBusyWithSeveralRequestsInFlight() {
    // One peer, 2 s round trip, 10 ms per item: kept busy it needs 40 s for 4000 items.
    FakePeer far = new FakePeer("far").autoAnswer(time, 2 * SECOND, 10 * MS);
    set.register(far, 68);
    CompletableFuture<FetchSummary> run = run(new ItemQueue(4_000, true), FetchPolicy.pipelined());
    int maxInFlight = 0;
    while (!run.isDone()) {
      time.advance(100 * MS);
      maxInFlight =
          Math.max(
              maxInFlight, (int) far.requests.stream().filter(r -> !r.answer.isDone()).count());
    }

    assertThat(maxInFlight).isGreaterThan(3);
    assertThat(seconds(run)).isLessThan(40 * 1.15);
  }

  @Test
  void goEthereumsPolicyLeavesTheSameLinkIdleBetweenRequests() {
    FakePeer far = new FakePeer("far").autoAnswer(time, 2 * SECOND, 10 * MS);
    set.register(far, 68);
    CompletableFuture<FetchSummary> run = run(new ItemQueue(4_000, true), FetchPolicy.geth());
    time.runUntilIdle(1_000_000);

    assertThat(seconds(run)).isGreaterThan(40 * 1.5);
  }

  @Test
  void theRateEstimateConvergesOnWhatThePeerSustains() {
    FakePeer p = new FakePeer("p").autoAnswer(time, 300 * MS, 20 * MS); // 50 items/s
    set.register(p, 68);
    CompletableFuture<FetchSummary> run = run(new ItemQueue(3_000, true), FetchPolicy.pipelined());
    time.runUntilIdle(1_000_000);

    assertThat(run.join().peers().get(0).rateEstimate()).isCloseTo(50, within(2.5));
  }

  @Test
  void aMeasuredPeerThatFallsSilentTimesOutWithinAFewOfItsOwnRoundTrips() {
    FakePeer p = new FakePeer("p").autoAnswer(time, 100 * MS, MS);
    set.register(p, 68);
    ItemQueue queue = new ItemQueue(100_000, true);
    run(queue, FetchPolicy.pipelined());
    time.advance(5 * SECOND);
    int answered = p.requests.size();
    p.autoAnswer(null, 0, 0); // from now on, it keeps quiet

    time.advance(5 * SECOND);

    assertThat(queue.unreserved).isNotEmpty(); // timed out, far below the group's 60 s
    assertThat(set.trackers().targetTimeout()).isGreaterThan(5 * SECOND);
    assertThat(p.requests.size()).isGreaterThan(answered);
  }

  @Test
  void theLastItemsGoToTheFastPeerInsteadOfKeepingEveryoneWaitingForTheSlowOne() {
    // 100 items/s and 1 item/s: together 5000 items take 49.5 s at best. A slow peer handed
    // its usual pipeline of the last items would stretch the run by seconds.
    set.register(new FakePeer("fast").autoAnswer(time, 50 * MS, 10 * MS), 68);
    set.register(new FakePeer("slow").autoAnswer(time, 50 * MS, SECOND), 68);
    CompletableFuture<FetchSummary> run = run(new ItemQueue(5_000, true), FetchPolicy.pipelined());
    time.runUntilIdle(1_000_000);

    assertThat(seconds(run)).isLessThan(5_000 / 101.0 + 1);
  }

  @Test
  void atTheEndAStallersRequestsAreHandedToTheOthersInsteadOfAwaitingItsProbeTimeout() {
    // 500 items at 100 items/s take 5 s; the staller joined first and holds its probe and the
    // request behind it. Waiting out its 10 s probe timeout would double the run.
    set.register(new FakePeer("staller"), 68);
    set.register(new FakePeer("fast").autoAnswer(time, 50 * MS, 10 * MS), 68);
    ItemQueue queue = new ItemQueue(500, true);
    CompletableFuture<FetchSummary> run = run(queue, FetchPolicy.pipelined());
    time.runUntilIdle(1_000_000);

    assertThat(seconds(run)).isLessThan(5 + 2 + 0.5);
    for (int i = 0; i < 500; i++) {
      assertThat(queue.acceptedCount(i)).as("item %d", i).isEqualTo(1);
    }
    // Released without the probe's penalty: the run ended before anyone was dropped.
    assertThat(drops).isEmpty();
    FetchSummary summary = run.join();
    assertThat(summary.peers())
        .filteredOn(p -> p.id().equals("staller"))
        .singleElement()
        .satisfies(p -> assertThat(p.timeouts()).isEqualTo(2));
  }

  @Test
  void goEthereumsPolicyWaitsOutTheStallersTimeout() {
    set.register(new FakePeer("staller"), 68);
    set.register(new FakePeer("fast").autoAnswer(time, 50 * MS, 10 * MS), 68);
    CompletableFuture<FetchSummary> run = run(new ItemQueue(500, true), FetchPolicy.geth());
    time.runUntilIdle(1_000_000);

    assertThat(run).isCompleted();
    assertThat(drops).containsExactly("staller: TIMEOUT");
  }

  @Test
  void aNewcomerThatAnswersInTheEndGameKeepsItsWork() {
    // A second honest peer joins while the last items are in flight: its probe is answered
    // within the slowest measured peer's time, so nothing is taken from it.
    FakePeer fast = new FakePeer("fast").autoAnswer(time, 50 * MS, 10 * MS);
    set.register(fast, 68);
    ItemQueue queue = new ItemQueue(300, true);
    CompletableFuture<FetchSummary> run = run(queue, FetchPolicy.pipelined());
    time.advance(2 * SECOND);
    FakePeer late = new FakePeer("late").autoAnswer(time, 60 * MS, 10 * MS);
    set.register(late, 68);
    time.runUntilIdle(1_000_000);

    for (int i = 0; i < 300; i++) {
      assertThat(queue.acceptedCount(i)).as("item %d", i).isEqualTo(1);
    }
    assertThat(run.join().peers()).allSatisfy(p -> assertThat(p.timeouts()).isZero());
  }

  @Test
  void aPeerTooSlowForThreeItemsWithinTheTimeoutCeilingIsAskedForWhatFitsInIt() {
    // 24 s per item: three items would take 72 s, past the one-minute ceiling on timeouts, so
    // every such answer would come late and be discarded, and the run would never end.
    FakePeer p = new FakePeer("p");
    set.register(p, 68);
    PeerBook<ItemQueue.Batch> view =
        new PeerBook<>(set, new ItemQueue(100, true), time, 0, Integer.MAX_VALUE);
    PipelinedPolicy policy = new PipelinedPolicy();
    var c = set.peer("p").orElseThrow();
    policy.onSettled(
        view, new FetchPolicy.Settlement(c, 1, 1, 1, 0, 50 * MS, Long.MIN_VALUE, 0, false));
    policy.onSettled(
        view, new FetchPolicy.Settlement(c, 3, 3, 3, 0, 50 * MS + 72 * SECOND, 50 * MS, 0, false));

    List<FetchPolicy.Offer> offers = policy.plan(view);

    // Under the ceiling less its slack (48 s) one item fits; nothing is queued behind it.
    assertThat(offers).extracting(FetchPolicy.Offer::items).containsExactly(1);
    assertThat(policy.timeoutNanos(view, c, 1)).isGreaterThan(24 * SECOND);
  }
}
