package io.peerflow.eth;

import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.source.ChainSource;
import io.peerflow.eth.wire.EthMessages;
import io.peerflow.time.Timer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a serving node's eth/69 peers when the blocks it serves have moved, by go-ethereum's rule:
 * the source is looked at every check interval (a source gives no head events), and a head 32
 * blocks past the last announcement, or behind it, is announced to every peer.
 *
 * <p>Each check runs as a task on the injected {@link Timer} and schedules the next, so checks
 * never overlap and {@code announced} is only touched by one task at a time; {@link #stop} is safe
 * from any thread.
 */
final class RangeAnnouncer {

  private static final Logger LOG = LoggerFactory.getLogger(EthNode.class);

  /**
   * How far the head must advance before eth/69 peers hear of it: go-ethereum's rule, so that a
   * node does not send an update for every block. A head that moves back (a rewind) is announced at
   * once, since peers would otherwise ask for blocks we no longer serve.
   */
  static final long RANGE_ANNOUNCE_BLOCKS = 32;

  private final ChainSource source;
  private final Timer timer;
  private final long everyNanos;
  private final Consumer<EthMessages.BlockRange> announce;
  private EthMessages.BlockRange announced;
  private volatile Timer.Timeout next;
  private volatile boolean stopped;

  /** Looks at {@code source} every {@code everyNanos} and hands a due range to {@code announce}. */
  RangeAnnouncer(
      ChainSource source, Timer timer, long everyNanos, Consumer<EthMessages.BlockRange> announce) {
    this.source = source;
    this.timer = timer;
    this.everyNanos = everyNanos;
    this.announce = announce;
    this.announced = rangeOf(source);
    this.next = timer.schedule(everyNanos, this::check);
  }

  static EthMessages.BlockRange rangeOf(ChainSource src) {
    BlockHeader head = src.head();
    return new EthMessages.BlockRange(
        Math.min(src.earliest(), head.number()), head.number(), head.hash());
  }

  private void check() {
    if (stopped) {
      return;
    }
    try {
      EthMessages.BlockRange now = rangeOf(source);
      boolean due =
          now.latest() < announced.latest()
              || now.latest() - announced.latest() >= RANGE_ANNOUNCE_BLOCKS;
      if (due) {
        announce.accept(now);
        announced = now;
      }
    } catch (RuntimeException e) {
      // A source that fails now may answer next time; the checks go on.
      LOG.warn("Cannot read the served chain's head for a BlockRangeUpdate: {}", e.toString());
    }
    if (!stopped) {
      next = timer.schedule(everyNanos, this::check);
    }
  }

  /** No further checks. */
  void stop() {
    stopped = true;
    next.cancel();
  }
}
