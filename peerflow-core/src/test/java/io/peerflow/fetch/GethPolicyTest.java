package io.peerflow.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.peers.MessageKind;
import io.peerflow.peers.PeerConnection;
import io.peerflow.peers.PeerSet;
import io.peerflow.time.VirtualTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class GethPolicyTest {

  private static final long SECOND = 1_000_000_000L;

  private final VirtualTime time = new VirtualTime();
  private final PeerSet set = new PeerSet(time);

  @Test
  void offersEveryIdlePeerItsCapacityHighestFirst() {
    PeerConnection slow = set.register(new FakePeer("slow"), 68);
    PeerConnection fast = set.register(new FakePeer("fast"), 68);
    PeerConnection busy = set.register(new FakePeer("busy"), 68);
    for (int i = 0; i < 50; i++) {
      slow.measure(MessageKind.BODIES, SECOND, 2);
      fast.measure(MessageKind.BODIES, SECOND, 20);
    }
    busy.fetch(MessageKind.BODIES, p -> new java.util.concurrent.CompletableFuture<>());

    List<FetchPolicy.Offer> offers =
        new GethPolicy()
            .plan(new PeerBook<>(set, new ItemQueue(1, true), time, 0, Integer.MAX_VALUE));

    long rtt = set.trackers().targetRoundTrip();
    assertThat(offers)
        .containsExactly(
            new FetchPolicy.Offer(fast, fast.capacity(MessageKind.BODIES, rtt)),
            new FetchPolicy.Offer(slow, slow.capacity(MessageKind.BODIES, rtt)));
  }

  @Test
  void waitsTheGroupsTargetTimeoutAndUsesTheBusyFlag() {
    PeerConnection p = set.register(new FakePeer("p"), 68);
    GethPolicy policy = new GethPolicy();
    PeerBook<ItemQueue.Batch> view =
        new PeerBook<>(set, new ItemQueue(1, true), time, 0, Integer.MAX_VALUE);

    assertThat(policy.singleFlight()).isTrue();
    assertThat(policy.timeoutNanos(view, p, 10)).isEqualTo(set.trackers().targetTimeout());
  }
}
