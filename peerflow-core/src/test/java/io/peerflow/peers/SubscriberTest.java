package io.peerflow.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.msgrate.Tracker;
import io.peerflow.time.VirtualTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class SubscriberTest {

  private final List<Subscriber> closed = new ArrayList<>();
  private final List<PeerEvent> seen = new ArrayList<>();

  /** An executor that holds tasks until the test runs them. */
  private static final class ManualExecutor implements Executor {
    final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    void runAll() {
      Runnable t;
      while ((t = tasks.poll()) != null) {
        t.run();
      }
    }
  }

  private static PeerEvent join(String id) {
    FakePeer remote = new FakePeer(id);
    return new PeerEvent(
        PeerEvent.Type.JOIN,
        new PeerConnection(remote, 66, new Tracker(Map.of(), 0), new VirtualTime()));
  }

  @Test
  void deliversQueuedEventsInOrderWithOneDrain() {
    ManualExecutor executor = new ManualExecutor();
    Subscriber s = new Subscriber(seen::add, executor, closed::add);
    PeerEvent a = join("a");
    PeerEvent b = join("b");
    s.enqueue(a);
    s.dispatch();
    s.enqueue(b);
    s.dispatch();
    assertThat(executor.tasks).hasSize(1);
    executor.runAll();
    assertThat(seen).containsExactly(a, b);
  }

  @Test
  void anEventQueuedWhileDrainingIsDeliveredToo() {
    ManualExecutor executor = new ManualExecutor();
    PeerEvent late = join("late");
    Subscriber[] self = new Subscriber[1];
    self[0] =
        new Subscriber(
            e -> {
              seen.add(e);
              if (seen.size() == 1) {
                self[0].enqueue(late);
                self[0].dispatch(); // the drain is running: nothing new is scheduled
              }
            },
            executor,
            closed::add);
    PeerEvent first = join("first");
    self[0].enqueue(first);
    self[0].dispatch();
    executor.runAll();
    assertThat(seen).containsExactly(first, late);
  }

  @Test
  void aFailingListenerKeepsReceiving() {
    Subscriber s =
        new Subscriber(
            e -> {
              seen.add(e);
              throw new IllegalStateException("listener bug");
            },
            Runnable::run,
            closed::add);
    s.enqueue(join("a"));
    s.enqueue(join("b"));
    s.dispatch();
    assertThat(seen).hasSize(2);
  }

  @Test
  void closingDropsPendingEventsAndUnsubscribes() {
    ManualExecutor executor = new ManualExecutor();
    Subscriber s = new Subscriber(seen::add, executor, closed::add);
    s.enqueue(join("a"));
    s.dispatch();
    s.close();
    executor.runAll();
    s.enqueue(join("b"));
    s.dispatch();
    assertThat(seen).isEmpty();
    assertThat(closed).containsExactly(s);
  }

  @Test
  void aRejectingExecutorDropsEventsButLaterOnesStillFlow() {
    boolean[] reject = {true};
    Executor flaky =
        task -> {
          if (reject[0]) {
            throw new RejectedExecutionException("shut down");
          }
          task.run();
        };
    Subscriber s = new Subscriber(seen::add, flaky, closed::add);
    s.enqueue(join("a"));
    s.dispatch();
    reject[0] = false;
    PeerEvent b = join("b");
    s.enqueue(b);
    s.dispatch();
    assertThat(seen).containsExactly(b);
  }
}
