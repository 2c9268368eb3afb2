package io.peerflow.sync;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.response.HeadersResponse;
import io.peerflow.fetch.Delivery;
import io.peerflow.fetch.DropReason;
import io.peerflow.fetch.FetchQueue;
import io.peerflow.fetch.PeerDropper;
import io.peerflow.fetch.Reservation;
import io.peerflow.peers.MessageKind;
import io.peerflow.peers.PeerConnection;
import io.peerflow.peers.RemotePeer;
import io.peerflow.peers.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The headers of a range, fetched in contiguous segments by number from many peers at once and
 * verified top-down: a segment is accepted only when its highest header is the parent the chain
 * above it (ending at the anchor) expects, so a lying peer cannot slip in a header however
 * consistent its own segment is.
 *
 * <p>Segments that arrive before the one above them wait; a window below the verified frontier caps
 * how many can wait, which bounds memory whatever the range. A waiting segment that then fails to
 * link was made up by the peer that sent it, which is dropped even if its answer was accepted
 * earlier.
 *
 * <p>Confined to its scheduler's thread, like every {@link FetchQueue}; the verified frontier is
 * published to other threads through {@link HeaderSink}.
 */
final class HeaderQueue implements FetchQueue<HeaderQueue.Segment> {

  /**
   * How far below the verified frontier segments may be requested: 16 requests of go-ethereum's
   * maximum 1024 headers, or about 10 MB of headers waiting to be linked. Enough to keep every peer
   * of a large set busy while the segment right below the frontier is in flight, small enough that
   * a slow peer holding that segment cannot make memory grow.
   */
  static final int WINDOW = 16 * 1024;

  /** A contiguous range of block numbers requested from one peer. Immutable. */
  record Segment(long lo, long hi) implements Reservation {
    @Override
    public int size() {
      return (int) (hi - lo + 1);
    }
  }

  private record Received(List<BlockHeader> headers, PeerConnection peer) {}

  /** Where verified headers go, in batches from the top of the range down. */
  interface HeaderSink {
    /** Stores {@code headers} (ascending, linked); all of them are verified. */
    void store(List<BlockHeader> headers);

    /** Every header from {@code number} to the top is verified and stored. */
    void verifiedDownTo(long number);
  }

  /** The headers an earlier run stored, trusted only once they link to the chain above. */
  interface StoredHeaders {
    /** Ranges {@code [lo, hi]} of {@code [from, to]} with no stored header, highest first. */
    List<long[]> missing(long from, long to);

    /** Canonical hash stored for {@code number}, or null. */
    Hash hash(long number);

    /** Parent hash of the stored header {@code number}. */
    Hash parentHash(long number);
  }

  private final long from;
  private final StoredHeaders stored;
  private final HeaderSink sink;
  private final PeerDropper lateDropper;

  /** Ranges still to fetch, keyed by their highest number, value the lowest. */
  private final TreeMap<Long, Long> pool = new TreeMap<>();

  /** Answers not yet linked to the chain above, keyed by their highest number. */
  private final TreeMap<Long, Received> received = new TreeMap<>();

  /** Stored ranges not yet linked, keyed by their highest number, value the lowest. */
  private final TreeMap<Long, Long> islands = new TreeMap<>();

  private long fetched;

  /** Peer id to the highest number it can serve, learnt from empty answers. */
  private final Map<String, Long> ceilings = new HashMap<>();

  private long nextTop;
  private Hash expected;

  /**
   * @param from lowest number to fetch
   * @param top highest number to fetch; below the anchor or the stored chain linked to it
   * @param expectedTopHash the hash header {@code top} must have
   */
  HeaderQueue(
      long from,
      long top,
      Hash expectedTopHash,
      StoredHeaders stored,
      HeaderSink sink,
      PeerDropper lateDropper) {
    this.from = from;
    this.nextTop = top;
    this.expected = expectedTopHash;
    this.stored = stored;
    this.sink = sink;
    this.lateDropper = lateDropper;
    long islandTop = top;
    for (long[] gap : stored.missing(from, top)) {
      pool.put(gap[1], gap[0]);
      if (gap[1] < islandTop) {
        islands.put(islandTop, gap[1] + 1);
      }
      islandTop = gap[0] - 1;
    }
    if (islandTop >= from) {
      islands.put(islandTop, from);
    }
    link(null);
  }

  /** Headers accepted from peers so far (not counting stored ones that linked). */
  long fetched() {
    return fetched;
  }

  @Override
  public MessageKind kind() {
    return MessageKind.HEADERS;
  }

  /** Highest number not yet verified; below {@code from} once done. */
  long frontier() {
    return nextTop;
  }

  @Override
  public int pending() {
    long windowLow = windowLow();
    long n = 0;
    for (Map.Entry<Long, Long> e : pool.descendingMap().entrySet()) {
      if (e.getKey() < windowLow) {
        break;
      }
      n += e.getKey() - Math.max(e.getValue(), windowLow) + 1;
    }
    return (int) Math.min(n, Integer.MAX_VALUE);
  }

  private long windowLow() {
    return Math.max(from, nextTop - WINDOW + 1);
  }

  @Override
  public boolean closed() {
    // Every number is known from the start; nothing is ever added.
    return true;
  }

  @Override
  public Segment reserve(PeerConnection peer, int max) {
    long ceiling = ceilings.getOrDefault(peer.id(), Long.MAX_VALUE);
    // Headers below the earliest block a peer announced may still be asked of it (nodes that expire
    // bodies and receipts keep headers), but a segment must not straddle that block: a peer that
    // has no headers below it answers such a segment empty, and would then never be asked for the
    // part above, which it does serve. Read at every reservation, as a BlockRangeUpdate moves it.
    long servedFrom = peer.peer().servedFrom();
    long windowLow = windowLow();
    for (Map.Entry<Long, Long> e : pool.descendingMap().entrySet()) {
      long hi = e.getKey();
      long lo = e.getValue();
      if (hi < windowLow) {
        return null;
      }
      if (lo > ceiling) {
        continue;
      }
      long top = Math.min(hi, ceiling);
      long bottom = Math.max(Math.max(lo, windowLow), top - max + 1);
      if (top >= servedFrom) {
        bottom = Math.max(bottom, servedFrom);
      }
      pool.remove(hi);
      if (hi > top) {
        pool.put(hi, top + 1);
      }
      if (lo < bottom) {
        pool.put(bottom - 1, lo);
      }
      return new Segment(bottom, top);
    }
    return null;
  }

  /**
   * The highest number still to fetch, if any: after a run that ended with no peer able to take a
   * segment, the top of the headers no peer serves. Call only once this queue's scheduler has
   * ended; its end happens-before the callback that calls this.
   */
  OptionalLong highestPending() {
    return pool.isEmpty() ? OptionalLong.empty() : OptionalLong.of(pool.lastKey());
  }

  @Override
  public int unreserve(Segment s) {
    giveBack(s.lo, s.hi);
    return s.size();
  }

  private void giveBack(long lo, long hi) {
    // Ranges given back never overlap the pool; merging neighbours keeps the pool small.
    Map.Entry<Long, Long> below = pool.floorEntry(lo - 1);
    if (below != null && below.getKey() == lo - 1) {
      pool.remove(below.getKey());
      lo = below.getValue();
    }
    Map.Entry<Long, Long> above = pool.ceilingEntry(hi + 1);
    if (above != null && above.getValue() == hi + 1) {
      pool.remove(above.getKey());
      hi = above.getKey();
    }
    pool.put(hi, lo);
  }

  @Override
  public CompletableFuture<? extends Response> request(RemotePeer peer, Segment s) {
    return peer.requestHeadersByNumber(s.lo, s.size(), 0, false);
  }

  @Override
  public Delivery deliver(PeerConnection peer, Segment s, Response response) {
    if (!(response instanceof HeadersResponse hr)) {
      giveBack(s.lo, s.hi);
      return Delivery.invalid("not a headers answer: " + response.getClass().getSimpleName());
    }
    List<BlockHeader> headers = hr.headers();
    String problem = check(s, headers);
    if (problem != null) {
      giveBack(s.lo, s.hi);
      return Delivery.invalid(problem);
    }
    if (headers.isEmpty()) {
      // The peer lacks the lowest number asked, so it lacks everything above too.
      ceilings.merge(peer.id(), s.lo - 1, Math::min);
      giveBack(s.lo, s.hi);
      return Delivery.accepted(0);
    }
    long got = headers.size();
    if (s.lo + got <= s.hi) {
      // A short answer is allowed (a serving limit); the rest goes to whoever asks next.
      giveBack(s.lo + got, s.hi);
    }
    received.put(s.lo + got - 1, new Received(headers, peer));
    String invalid = link(peer);
    return invalid == null ? Delivery.accepted((int) got) : Delivery.invalid(invalid);
  }

  private static String check(Segment s, List<BlockHeader> headers) {
    if (headers.size() > s.size()) {
      return headers.size() + " headers for a request of " + s.size();
    }
    for (int i = 0; i < headers.size(); i++) {
      BlockHeader h = headers.get(i);
      if (h.number() != s.lo + i) {
        return "header #" + h.number() + " where #" + (s.lo + i) + " was asked";
      }
      if (i > 0 && !h.parentHash().equals(headers.get(i - 1).hash())) {
        return "header #" + h.number() + " does not link to its parent";
      }
    }
    return null;
  }

  /**
   * Links every waiting segment that now can be; returns why the segment just delivered by {@code
   * deliverer} failed to link, if it did. A segment of another connection that fails to link gets
   * that connection dropped, late, for an answer it gave earlier.
   */
  private String link(PeerConnection deliverer) {
    String own = null;
    long before = nextTop;
    Received r;
    while (true) {
      Long islandLow = islands.remove(nextTop);
      if (islandLow != null) {
        if (!linkIsland(islandLow)) {
          break;
        }
        continue;
      }
      r = received.remove(nextTop);
      if (r == null) {
        break;
      }
      List<BlockHeader> headers = r.headers();
      BlockHeader top = headers.get(headers.size() - 1);
      long lo = headers.get(0).number();
      if (!top.hash().equals(expected)) {
        giveBack(lo, nextTop);
        String reason = "header #" + top.number() + " is not on the chain of the anchor";
        if (r.peer() == deliverer) {
          own = reason;
        } else {
          forget(r.peer());
          lateDropper.drop(r.peer(), DropReason.INVALID_DELIVERY, reason);
        }
        break;
      }
      sink.store(headers);
      fetched += headers.size();
      nextTop = lo - 1;
      expected = headers.get(0).parentHash();
    }
    if (own != null) {
      forget(deliverer);
    }
    if (nextTop != before) {
      sink.verifiedDownTo(nextTop + 1);
    }
    return own;
  }

  /**
   * Walks a stored range down from the frontier while it links; what does not link (a store written
   * for another chain or anchor) goes to the pool to be fetched and overwritten.
   */
  private boolean linkIsland(long islandLow) {
    for (long n = nextTop; n >= islandLow; n--) {
      if (!expected.equals(stored.hash(n))) {
        giveBack(islandLow, n);
        return false;
      }
      expected = stored.parentHash(n);
      nextTop = n - 1;
    }
    return true;
  }

  /**
   * Forgets a dropped connection's waiting answers, which can no longer be trusted, and its
   * ceiling.
   */
  private void forget(PeerConnection peer) {
    ceilings.remove(peer.id());
    received
        .entrySet()
        .removeIf(
            e -> {
              if (e.getValue().peer() == peer) {
                List<BlockHeader> h = e.getValue().headers();
                giveBack(h.get(0).number(), e.getKey());
                return true;
              }
              return false;
            });
  }
}
