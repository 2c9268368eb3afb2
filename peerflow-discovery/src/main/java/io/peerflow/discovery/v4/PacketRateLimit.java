package io.peerflow.discovery.v4;

import io.peerflow.time.Clock;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token buckets that decide, before any hashing or signature recovery, whether a datagram is worth
 * looking at: one per source address and one for everything. Thread-safe (one lock; each call is a
 * few arithmetic operations).
 *
 * <p>Recovering a packet's signature costs about a tenth of a millisecond; a flood of datagrams
 * must not buy that much of our time each. An honest node sends a handful of packets per lookup
 * step, so 20 a second with bursts of 50 per source leave it untouched, and the global 1,000 a
 * second bound the CPU a flood from many sources can take to a fraction of a core.
 */
final class PacketRateLimit {

  static final double PER_SOURCE_RATE = 20;
  static final double PER_SOURCE_BURST = 50;
  static final double GLOBAL_RATE = 1000;
  static final double GLOBAL_BURST = 2000;

  /** Sources remembered; the least recently heard is forgotten first, so memory stays bounded. */
  static final int MAX_SOURCES = 4096;

  private final Clock clock;
  private final Bucket global;
  private final Map<InetSocketAddress, Bucket> sources =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Bucket> eldest) {
          return size() > MAX_SOURCES;
        }
      };
  private long dropped;

  PacketRateLimit(Clock clock) {
    this.clock = clock;
    this.global = new Bucket(GLOBAL_BURST, clock.nanos());
  }

  /** Whether a datagram from {@code source} may be processed; takes a token if so. */
  synchronized boolean allow(InetSocketAddress source) {
    long now = clock.nanos();
    Bucket own = sources.computeIfAbsent(source, s -> new Bucket(PER_SOURCE_BURST, now));
    boolean ok =
        own.take(now, PER_SOURCE_RATE, PER_SOURCE_BURST)
            && global.take(now, GLOBAL_RATE, GLOBAL_BURST);
    if (!ok) {
      dropped++;
    }
    return ok;
  }

  /** Datagrams refused so far. */
  synchronized long dropped() {
    return dropped;
  }

  private static final class Bucket {
    private double tokens;
    private long last;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.last = now;
    }

    boolean take(long now, double rate, double burst) {
      tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
      last = now;
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }
  }
}
