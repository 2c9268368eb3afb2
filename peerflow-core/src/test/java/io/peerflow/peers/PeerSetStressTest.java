package io.peerflow.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.chain.Hash;
import io.peerflow.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Many threads registering, unregistering, fetching, settling and selecting at once, on the system
 * clock. Checks that no busy flag is lost or shared, nothing throws unexpectedly, and each
 * subscriber sees every connection join once and leave at most once, after joining.
 */
class PeerSetStressTest {

  private static final int THREADS = 8;
  private static final long RUN_NANOS = 2_000_000_000L;
  private static final String[] IDS = new String[24];

  static {
    for (int i = 0; i < IDS.length; i++) {
      IDS[i] = "p" + i;
    }
  }

  private static final MessageKind[] KINDS = {
    MessageKind.HEADERS, MessageKind.BODIES, MessageKind.RECEIPTS, MessageKind.NODE_DATA
  };

  private final PeerSet set = new PeerSet(Clock.system());
  private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

  /** Fetches currently owned, per connection and kind index: must never exceed 1. */
  private final Map<PeerConnection, AtomicIntegerArray> owners = new ConcurrentHashMap<>();

  private final AtomicLong fetched = new AtomicLong();
  private final AtomicLong settled = new AtomicLong();

  @Test
  void concurrentChurnFetchesAndDeliveriesKeepEveryInvariant() throws Exception {
    List<PeerEvent> queued = new ArrayList<>();
    List<PeerEvent> direct = new ArrayList<>();
    ExecutorService eventThread = Executors.newSingleThreadExecutor();
    set.subscribe(queued::add, eventThread); // only ever touched by the event thread
    set.subscribe(
        e -> {
          synchronized (direct) {
            direct.add(e);
          }
        },
        Runnable::run);

    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      Thread w =
          new Thread(
              () -> {
                try {
                  start.await();
                  long deadline = System.nanoTime() + RUN_NANOS;
                  while (System.nanoTime() < deadline) {
                    step(ThreadLocalRandom.current());
                  }
                } catch (Throwable e) {
                  failures.add(e);
                }
              },
              "stress-" + t);
      w.start();
      workers.add(w);
    }
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }
    eventThread.submit(() -> {}).get(10, TimeUnit.SECONDS); // drain what is queued
    eventThread.shutdown();

    assertThat(failures).isEmpty();
    assertThat(fetched.get()).isPositive().isEqualTo(settled.get());
    for (PeerConnection p : set.peers()) {
      for (MessageKind k : KINDS) {
        assertThat(p.isIdle(k)).as("%s idle for %s", p, k).isTrue();
      }
    }
    assertConsistent(queued);
    synchronized (direct) {
      assertConsistent(direct);
      assertThat(direct).hasSameSizeAs(queued);
    }
  }

  private void step(ThreadLocalRandom rnd) {
    String id = IDS[rnd.nextInt(IDS.length)];
    int op = rnd.nextInt(100);
    if (op < 8) {
      try {
        set.register(new FakePeer(id), 66 + rnd.nextInt(3));
      } catch (PeerException e) {
        assertThat(e.reason()).isEqualTo(PeerException.Reason.ALREADY_REGISTERED);
      }
    } else if (op < 15) {
      try {
        set.unregister(id);
      } catch (PeerException e) {
        assertThat(e.reason()).isEqualTo(PeerException.Reason.NOT_REGISTERED);
      }
    } else if (op < 25) {
      IdlePeers idle = set.idlePeers(KINDS[rnd.nextInt(KINDS.length)], 66, 68);
      for (int i = 1; i < idle.peers().size(); i++) {
        assertThat(idle.capacity(i)).isLessThanOrEqualTo(idle.capacity(i - 1));
      }
      assertThat(set.trackers().targetTimeout()).isPositive();
    } else if (op < 30) {
      set.peer(id)
          .ifPresent(
              p -> {
                Hash h = FakePeer.hash(rnd.nextInt(10_000));
                p.markLacking(h);
                p.lacks(h);
              });
    } else {
      set.peer(id).ifPresent(p -> fetchAndSettle(p, KINDS[rnd.nextInt(KINDS.length)], rnd));
    }
  }

  private void fetchAndSettle(PeerConnection p, MessageKind kind, ThreadLocalRandom rnd) {
    try {
      if (kind == MessageKind.HEADERS) {
        p.fetchHeaders(0, 1);
      } else if (kind == MessageKind.BODIES) {
        p.fetchBodies(List.of());
      } else if (kind == MessageKind.RECEIPTS) {
        p.fetchReceipts(List.of());
      } else {
        p.fetchNodeData(List.of());
      }
    } catch (PeerException e) {
      assertThat(e.reason()).isEqualTo(PeerException.Reason.ALREADY_FETCHING);
      return;
    }
    fetched.incrementAndGet();
    AtomicIntegerArray own =
        owners.computeIfAbsent(p, k -> new AtomicIntegerArray(MessageKind.MAX_KINDS));
    assertThat(own.incrementAndGet(kind.index())).as("owners of %s %s", p, kind).isEqualTo(1);
    p.capacity(kind, set.trackers().targetRoundTrip());
    own.decrementAndGet(kind.index());
    assertThat(p.setIdle(kind, rnd.nextInt(0, 200))).as("flag still ours").isTrue();
    settled.incrementAndGet();
  }

  /** Every connection joins exactly once, then leaves at most once. */
  private static void assertConsistent(List<PeerEvent> events) {
    Map<PeerConnection, Integer> state = new IdentityHashMap<>(); // 1 joined, 2 left
    Map<String, PeerConnection> current = new java.util.HashMap<>();
    for (PeerEvent e : events) {
      if (e.type() == PeerEvent.Type.JOIN) {
        assertThat(state.put(e.peer(), 1)).as("first event of %s", e.peer()).isNull();
        assertThat(current.put(e.peer().id(), e.peer())).as("one live %s", e.peer()).isNull();
      } else {
        assertThat(state.put(e.peer(), 2)).as("leave after join of %s", e.peer()).isEqualTo(1);
        assertThat(current.remove(e.peer().id())).isSameAs(e.peer());
      }
    }
    assertThat(events).isNotEmpty();
  }
}
