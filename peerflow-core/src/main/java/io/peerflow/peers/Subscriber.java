package io.peerflow.peers;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscriber of a {@link PeerSet}: its own queue of events, drained in order on its own
 * executor, one event at a time. This is what keeps a slow subscriber from holding up the set or
 * the other subscribers.
 *
 * <p>Thread-safe: {@link #enqueue} and {@link #dispatch} may be called from any thread; at most one
 * drain runs at a time ({@link #draining}), so the listener is never called concurrently with
 * itself and sees events in the order they were enqueued.
 */
final class Subscriber implements PeerSet.Subscription {

  private static final Logger LOG = LoggerFactory.getLogger(Subscriber.class);

  private final Consumer<? super PeerEvent> listener;
  private final Executor executor;
  private final Consumer<Subscriber> onClose;
  private final ConcurrentLinkedQueue<PeerEvent> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private volatile boolean closed;

  Subscriber(
      Consumer<? super PeerEvent> listener, Executor executor, Consumer<Subscriber> onClose) {
    this.listener = listener;
    this.executor = executor;
    this.onClose = onClose;
  }

  /** Queues an event; cheap and non-blocking, so the set may call it under its lock. */
  void enqueue(PeerEvent event) {
    if (!closed) {
      queue.add(event);
    }
  }

  /** Makes sure a drain is scheduled if events are waiting. Called outside the set's lock. */
  void dispatch() {
    while (!closed && !queue.isEmpty() && draining.compareAndSet(false, true)) {
      try {
        executor.execute(this::drain);
        return;
      } catch (RejectedExecutionException e) {
        LOG.warn("Peer event executor rejected a delivery; dropping queued events", e);
        queue.clear();
        draining.set(false);
      }
    }
  }

  private void drain() {
    try {
      PeerEvent event;
      while (!closed && (event = queue.poll()) != null) {
        try {
          listener.accept(event);
        } catch (RuntimeException e) {
          LOG.warn("Peer event listener failed on {}", event, e);
        }
      }
    } finally {
      draining.set(false);
    }
    // An event may have been queued after our last poll but before the flag dropped, when
    // dispatch() saw the drain still running: pick it up.
    dispatch();
  }

  @Override
  public void close() {
    closed = true;
    queue.clear();
    onClose.accept(this);
  }
}
