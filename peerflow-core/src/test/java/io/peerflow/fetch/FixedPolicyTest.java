package io.peerflow.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.peers.MessageKind;
import io.peerflow.peers.PeerSet;
import io.peerflow.time.VirtualTime;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class FixedPolicyTest {

  private static final long SECOND = 1_000_000_000L;

  private final VirtualTime time = new VirtualTime();
  private final PeerSet set = new PeerSet(time);

  @Test
  void everyRequestAsksForTheKindsMaximumWhateverThePeersSpeed() {
    FakePeer a = new FakePeer("a");
    set.register(a, 68);
    set.peer("a").orElseThrow().measure(MessageKind.BODIES, SECOND, 1);
    ItemQueue queue = new ItemQueue(1_000, true);
    FetchScheduler.builder(set, queue, time).policy(FetchPolicy.fixed()).build().start();
    time.advance(0);

    assertThat(a.requests).hasSize(1);
    assertThat(a.last().items).hasSize(MessageKind.BODIES.maxFetch());
  }

  @Test
  void theIdlePeerThatWaitedLongestGoesFirst() {
    FakePeer a = new FakePeer("a");
    FakePeer b = new FakePeer("b");
    FakePeer c = new FakePeer("c");
    set.register(a, 68);
    set.register(b, 68);
    set.register(c, 68);
    ItemQueue queue = new ItemQueue(3 * 128, false);
    FetchScheduler<ItemQueue.Batch> scheduler =
        FetchScheduler.builder(set, queue, time).policy(FetchPolicy.fixed()).build();
    scheduler.start();
    time.advance(0);
    time.advance(SECOND);
    c.last().answerAll();
    time.advance(SECOND);
    a.last().answerAll();
    time.advance(SECOND);
    b.last().answerAll();
    time.advance(SECOND);

    queue.add(128);
    scheduler.wake();
    time.advance(0);
    assertThat(c.requests).hasSize(2);
    assertThat(a.requests).hasSize(1);

    queue.add(128);
    scheduler.wake();
    time.advance(0);
    assertThat(a.requests).hasSize(2);
    assertThat(b.requests).hasSize(1);
  }

  @Test
  void requestsTimeOutAfterTenSecondsWhateverTheGroupThinks() {
    FakePeer silent = new FakePeer("silent");
    FakePeer other = new FakePeer("other");
    set.register(silent, 68);
    set.register(other, 68);
    ItemQueue queue = new ItemQueue(1_000, true);
    CompletableFuture<FetchSummary> run =
        FetchScheduler.builder(set, queue, time).policy(FetchPolicy.fixed()).build().start();
    time.advance(0);
    assertThat(set.trackers().targetTimeout()).isGreaterThan(FixedPolicy.TIMEOUT_NANOS);

    time.advance(FixedPolicy.TIMEOUT_NANOS - 1);
    assertThat(queue.unreserved).isEmpty();
    time.advance(1);
    assertThat(queue.unreserved).hasSize(2);
    assertThat(run).isNotDone();
  }
}
