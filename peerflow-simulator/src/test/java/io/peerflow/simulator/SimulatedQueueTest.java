package io.peerflow.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.fetch.Delivery;
import io.peerflow.peers.MessageKind;
import io.peerflow.peers.PeerConnection;
import io.peerflow.peers.PeerSet;
import io.peerflow.time.VirtualTime;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimulatedQueueTest {

  private final VirtualTime time = new VirtualTime();
  private final ItemCatalog catalog = new ItemCatalog(MessageKind.BODIES, 100, 3);
  private final SimulatedQueue queue = new SimulatedQueue(catalog);
  private final PeerConnection peer =
      new PeerSet(time)
          .register(
              new SimulatedPeer(
                  "p-01",
                  new PeerProfile("p", 1, 1e6, 1e6, 10, 0, 1, new Behaviour.Honest()),
                  0,
                  time,
                  catalog,
                  new SplittableRandom(1)),
              68);

  private SimulatedResponse genuine(int... items) {
    long[] payloads = new long[items.length];
    for (int i = 0; i < items.length; i++) {
      payloads[i] = catalog.payload(items[i]);
    }
    return new SimulatedResponse(items, payloads);
  }

  @Test
  void reservesTheLowestPendingItemsThePeerDoesNotLack() {
    peer.markLacking(catalog.hash(1));
    SimulatedQueue.Batch b = queue.reserve(peer, 4);

    assertThat(b.items).containsExactly(0, 2, 3, 4);
    assertThat(queue.pending()).isEqualTo(96);
    assertThat(queue.reserve(peer, 1).items).containsExactly(5);
  }

  @Test
  void acceptsWhatWasServedMarksGapsLackingAndReturnsTheCutOffTail() {
    SimulatedQueue.Batch b = queue.reserve(peer, 5); // 0..4

    Delivery d = queue.deliver(peer, b, genuine(0, 2));

    assertThat(d.valid()).isTrue();
    assertThat(d.accepted()).isEqualTo(2);
    assertThat(peer.lacks(catalog.hash(1))).isTrue(); // skipped before the last served item
    assertThat(peer.lacks(catalog.hash(3))).isFalse(); // cut off after it
    assertThat(queue.pending()).isEqualTo(98);
    assertThat(queue.accepted()).isEqualTo(2);
  }

  @Test
  void anEmptyAnswerMarksEveryItemLacking() {
    SimulatedQueue.Batch b = queue.reserve(peer, 3);
    queue.deliver(peer, b, genuine());

    assertThat(peer.lacks(catalog.hash(0))).isTrue();
    assertThat(peer.lacks(catalog.hash(2))).isTrue();
    assertThat(queue.pending()).isEqualTo(100);
  }

  @Test
  void wrongContentsOrUnaskedItemsAreInvalidAndEverythingGoesBack() {
    SimulatedQueue.Batch b = queue.reserve(peer, 3);
    SimulatedResponse lie = new SimulatedResponse(new int[] {0}, new long[] {~catalog.payload(0)});
    assertThat(queue.deliver(peer, b, lie).valid()).isFalse();
    assertThat(queue.pending()).isEqualTo(100);

    SimulatedQueue.Batch c = queue.reserve(peer, 3);
    assertThat(queue.deliver(peer, c, genuine(50)).valid()).isFalse();
    assertThat(queue.pending()).isEqualTo(100);
    assertThat(queue.accepted()).isZero();
  }

  @Test
  void headersAreReservedAsOneContiguousRange() {
    ItemCatalog headers = new ItemCatalog(MessageKind.HEADERS, 100, 3);
    SimulatedQueue q = new SimulatedQueue(headers);
    q.reserve(peer, 2); // 0, 1
    q.unreserve(new SimulatedQueue.Batch(new int[] {0}));

    assertThat(q.reserve(peer, 10).items).containsExactly(0);
    assertThat(q.reserve(peer, 3).items).containsExactly(2, 3, 4);
  }

  @Test
  void countsEveryItemNeverAndTwiceAccepted() {
    SimulatedQueue.Batch b = queue.reserve(peer, 100);
    queue.deliver(peer, b, genuine(java.util.stream.IntStream.range(0, 100).toArray()));
    assertThat(queue.missing()).isZero();
    assertThat(queue.duplicates()).isZero();
  }
}
