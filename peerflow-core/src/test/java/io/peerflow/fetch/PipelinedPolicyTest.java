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
    CompletableFuture<FetchSummary> run = FetchScheduler.builder(set, queue, time)
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
      maxInFlight = Math.max(maxInFlight,
          (int) far.requests.stream().filter(r -> !r.answer.isDone()).count());
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
}
