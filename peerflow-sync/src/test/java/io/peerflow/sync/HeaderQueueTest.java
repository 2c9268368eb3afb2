package io.peerflow.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.response.HeadersResponse;
import io.peerflow.fetch.Delivery;
import io.peerflow.peers.PeerConnection;
import io.peerflow.peers.PeerSet;
import io.peerflow.testkit.ServingPeer;
import io.peerflow.time.VirtualTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class HeaderQueueTest {

  /** A linked chain of headers 0..n. */
  static List<BlockHeader> chain(int n, int salt) {
    List<BlockHeader> out = new ArrayList<>();
    Hash parent = Hash.ZERO;
    for (int i = 0; i <= n; i++) {
      byte[] root = new byte[32];
      root[0] = (byte) salt;
      root[31] = (byte) i;
      root[30] = (byte) (i >> 8);
      BlockHeader h =
          BlockHeader.builder()
              .parentHash(parent)
              .stateRoot(Hash.of(root))
              .number(i)
              .gasLimit(30_000_000)
              .build();
      out.add(h);
      parent = h.hash();
    }
    return out;
  }

  /** The store side: which headers are stored, plus what was written and verified. */
  static final class Stored implements HeaderQueue.StoredHeaders, HeaderQueue.HeaderSink {
    final Map<Long, BlockHeader> headers = new HashMap<>();
    long verifiedDownTo = Long.MAX_VALUE;

    @Override
    public List<long[]> missing(long from, long to) {
      List<long[]> out = new ArrayList<>();
      long hi = -1;
      for (long n = to; n >= from; n--) {
        if (!headers.containsKey(n)) {
          if (hi < 0) {
            hi = n;
          }
        } else if (hi >= 0) {
          out.add(new long[] {n + 1, hi});
          hi = -1;
        }
      }
      if (hi >= 0) {
        out.add(new long[] {from, hi});
      }
      return out;
    }

    @Override
    public Hash hash(long number) {
      BlockHeader h = headers.get(number);
      return h == null ? null : h.hash();
    }

    @Override
    public Hash parentHash(long number) {
      return headers.get(number).parentHash();
    }

    @Override
    public void store(List<BlockHeader> list) {
      list.forEach(h -> headers.put(h.number(), h));
    }

    @Override
    public void verifiedDownTo(long number) {
      verifiedDownTo = Math.min(verifiedDownTo, number);
    }
  }

  final VirtualTime time = new VirtualTime();
  final PeerSet peers = new PeerSet(time);
  final List<String> lateDrops = new ArrayList<>();
  final java.util.concurrent.atomic.AtomicInteger tries =
      new java.util.concurrent.atomic.AtomicInteger();

  PeerConnection peer(String id) {
    return peers.register(new ServingPeer(id, List.of(), null, Runnable::run), 68);
  }

  static HeadersResponse answer(List<BlockHeader> chain, HeaderQueue.Segment s) {
    return new HeadersResponse(chain.subList((int) s.lo(), (int) s.hi() + 1));
  }

  HeaderQueue queue(List<BlockHeader> chain, Stored stored, long from, long top) {
    return new HeaderQueue(
        from,
        top,
        chain.get((int) top + 1).parentHash(),
        stored,
        stored,
        (id, why) -> lateDrops.add(id));
  }

  @Test
  void segmentsArrivingBottomFirstAreStoredOnlyOnceTheOneAboveLinks() {
    List<BlockHeader> chain = chain(400, 1);
    Stored stored = new Stored();
    HeaderQueue q = queue(chain, stored, 1, 399);
    PeerConnection a = peer("a");
    HeaderQueue.Segment top = q.reserve(a, 192);
    HeaderQueue.Segment below = q.reserve(a, 192);
    assertThat(top.hi()).isEqualTo(399);
    assertThat(below.hi()).isEqualTo(top.lo() - 1);
    assertThat(q.deliver(a, below, answer(chain, below)).accepted()).isEqualTo(192);
    assertThat(stored.headers).isEmpty();
    q.deliver(a, top, answer(chain, top));
    assertThat(stored.headers).hasSize(384);
    assertThat(q.frontier()).isEqualTo(below.lo() - 1);
    assertThat(stored.verifiedDownTo).isEqualTo(below.lo());
  }

  @Test
  void aWaitingSegmentThatDoesNotLinkDropsItsSenderLateAndIsFetchedAgain() {
    List<BlockHeader> chain = chain(400, 1);
    List<BlockHeader> forged = chain(400, 2);
    Stored stored = new Stored();
    HeaderQueue q = queue(chain, stored, 1, 399);
    PeerConnection honest = peer("honest");
    PeerConnection liar = peer("liar");
    HeaderQueue.Segment top = q.reserve(honest, 100);
    HeaderQueue.Segment below = q.reserve(liar, 100);
    assertThat(q.deliver(liar, below, answer(forged, below)).valid()).isTrue();
    assertThat(q.deliver(honest, top, answer(chain, top)).valid()).isTrue();
    assertThat(lateDrops).containsExactly("liar");
    assertThat(q.frontier()).isEqualTo(top.lo() - 1);
    HeaderQueue.Segment again = q.reserve(honest, 100);
    assertThat(again).isEqualTo(below);
  }

  @Test
  void anAnswerThatDoesNotLinkToTheFrontierIsInvalidAtOnce() {
    List<BlockHeader> chain = chain(100, 1);
    HeaderQueue q = queue(chain, new Stored(), 1, 99);
    PeerConnection liar = peer("liar");
    HeaderQueue.Segment s = q.reserve(liar, 50);
    Delivery d = q.deliver(liar, s, answer(chain(100, 3), s));
    assertThat(d.valid()).isFalse();
    assertThat(q.pending()).isEqualTo(99);
  }

  @Test
  void headersWithTheWrongNumbersOrBrokenLinksAreInvalid() {
    List<BlockHeader> chain = chain(100, 1);
    HeaderQueue q = queue(chain, new Stored(), 1, 99);
    PeerConnection p = peer("p");
    HeaderQueue.Segment s = q.reserve(p, 10);
    List<BlockHeader> shifted = chain.subList((int) s.lo() + 1, (int) s.hi() + 2);
    assertThat(q.deliver(p, s, new HeadersResponse(shifted)).invalidReason()).contains("where #");
    s = q.reserve(p, 10);
    List<BlockHeader> broken = new ArrayList<>(chain.subList((int) s.lo(), (int) s.hi() + 1));
    broken.set(5, chain(100, 9).get((int) s.lo() + 5));
    assertThat(q.deliver(p, s, new HeadersResponse(broken)).invalidReason()).contains("link");
  }

  @Test
  void anEmptyAnswerCapsWhatThatPeerIsAskedForButNotOthers() {
    List<BlockHeader> chain = chain(300, 1);
    HeaderQueue q = queue(chain, new Stored(), 1, 299);
    PeerConnection behind = peer("behind");
    HeaderQueue.Segment s = q.reserve(behind, 50);
    q.deliver(behind, s, new HeadersResponse(List.of()));
    HeaderQueue.Segment next = q.reserve(behind, 50);
    assertThat(next.hi()).isLessThan(s.lo());
    assertThat(q.reserve(peer("other"), 50).hi()).isEqualTo(299);
  }

  @Test
  void storedHeadersThatLinkAreNotFetchedAgainAndOnesThatDoNotAre() {
    List<BlockHeader> chain = chain(300, 1);
    List<BlockHeader> other = chain(300, 4);
    Stored stored = new Stored();
    for (int n = 100; n <= 199; n++) {
      stored.headers.put((long) n, chain.get(n));
    }
    for (int n = 20; n <= 39; n++) {
      stored.headers.put((long) n, other.get(n));
    }
    HeaderQueue q = queue(chain, stored, 1, 299);
    PeerConnection p = peer("p");
    List<HeaderQueue.Segment> asked = new ArrayList<>();
    HeaderQueue.Segment s;
    while ((s = q.reserve(p, 64)) != null || q.pending() > 0) {
      if (s == null) {
        continue;
      }
      asked.add(s);
      assertThat(q.deliver(p, s, answer(chain, s)).valid()).isTrue();
    }
    long fetched = asked.stream().mapToLong(HeaderQueue.Segment::size).sum();
    assertThat(fetched).isEqualTo(299 - 100);
    assertThat(q.frontier()).isEqualTo(0);
    for (int n = 1; n <= 299; n++) {
      assertThat(stored.headers.get((long) n)).isEqualTo(chain.get(n));
    }
  }

  @Property(tries = 50)
  void whateverTheOrderOfAnswersTheStoredChainIsExactlyTheRange(
      @ForAll @IntRange(min = 1, max = 600) int top, @ForAll long seed) {
    List<BlockHeader> chain = chain(top + 1, 1);
    Stored stored = new Stored();
    HeaderQueue q = queue(chain, stored, 1, top);
    PeerConnection p = peer("p" + tries.incrementAndGet());
    java.util.Random rnd = new java.util.Random(seed);
    List<HeaderQueue.Segment> out = new ArrayList<>();
    while (q.frontier() >= 1) {
      HeaderQueue.Segment s;
      while ((s = q.reserve(p, 1 + rnd.nextInt(100))) != null) {
        out.add(s);
      }
      HeaderQueue.Segment pick = out.remove(rnd.nextInt(out.size()));
      q.deliver(p, pick, answer(chain, pick));
    }
    assertThat(stored.headers).hasSize(top);
    assertThat(stored.verifiedDownTo).isEqualTo(1);
  }
}
