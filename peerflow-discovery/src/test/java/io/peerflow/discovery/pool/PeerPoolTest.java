package io.peerflow.discovery.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.rlpx.Enode;
import io.peerflow.rlpx.NodeKey;
import io.peerflow.time.VirtualTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PeerPoolTest {

  final VirtualTime time = new VirtualTime();
  final List<Enode> joined = new ArrayList<>();
  final Map<Enode, Integer> dials = new HashMap<>();
  final Set<Enode> unreachable = new HashSet<>();
  final Set<Enode> silent = new HashSet<>();
  final AtomicInteger wantMore = new AtomicInteger();

  static List<Enode> enodes(int n) {
    List<Enode> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Enode(NodeKey.generate().id(), "127.0.0.1", 30000 + i));
    }
    return out;
  }

  PeerPool<String> pool(int max) {
    return new PeerPool<>(
        max,
        e -> {
          dials.merge(e, 1, Integer::sum);
          if (silent.contains(e)) {
            return new CompletableFuture<>();
          }
          CompletableFuture<String> f = new CompletableFuture<>();
          time.schedule(
              TimeUnit.MILLISECONDS.toNanos(50),
              () -> {
                if (unreachable.contains(e)) {
                  f.completeExceptionally(new java.net.ConnectException("refused"));
                } else {
                  f.complete(e.toString());
                }
              });
          return f;
        },
        (e, peer) -> joined.add(e),
        wantMore::incrementAndGet,
        time);
  }

  /** The pool's stats, after letting its executor run. */
  PeerPool.Stats stats(PeerPool<String> pool) {
    CompletableFuture<PeerPool.Stats> f = pool.stats();
    time.advance(TimeUnit.MILLISECONDS.toNanos(1));
    assertThat(f).isDone();
    return f.join();
  }

  void run(long seconds) {
    time.advance(TimeUnit.SECONDS.toNanos(seconds));
  }

  @Test
  void keepsUpToMaxPeersConnectedAndNoMore() {
    PeerPool<String> pool = pool(4);
    enodes(10).forEach(pool::offer);
    run(1);
    assertThat(joined).hasSize(4);
    assertThat(stats(pool)).isEqualTo(new PeerPool.Stats(4, 0, 10));
  }

  @Test
  void aPeerThatLeavesIsReplacedByTheNextCandidate() {
    PeerPool<String> pool = pool(2);
    List<Enode> all = enodes(3);
    all.forEach(pool::offer);
    run(1);
    assertThat(joined).containsExactly(all.get(0), all.get(1));
    pool.left(all.get(0).id());
    run(1);
    assertThat(joined).containsExactly(all.get(0), all.get(1), all.get(2));
  }

  @Test
  void aFailedCandidateIsRetriedOnlyAfterAGrowingWait() {
    PeerPool<String> pool = pool(5);
    Enode dead = enodes(1).get(0);
    unreachable.add(dead);
    pool.offer(dead);
    run(1);
    assertThat(dials.get(dead)).isEqualTo(1);
    run(28);
    assertThat(dials.get(dead)).isEqualTo(1);
    run(2);
    assertThat(dials.get(dead)).isEqualTo(2);
    run(59);
    assertThat(dials.get(dead)).isEqualTo(2);
    run(2);
    assertThat(dials.get(dead)).isEqualTo(3);
    assertThat(joined).isEmpty();
  }

  @Test
  void runningOutOfCandidatesAsksForMoreAtMostEveryTenSeconds() {
    PeerPool<String> pool = pool(5);
    enodes(2).forEach(pool::offer);
    run(1);
    assertThat(wantMore.get()).isEqualTo(1);
    run(5);
    assertThat(wantMore.get()).isEqualTo(1);
    run(5);
    assertThat(wantMore.get()).isEqualTo(2);
    enodes(3).forEach(pool::offer);
    run(1);
    assertThat(joined).hasSize(5);
    run(60);
    assertThat(wantMore.get()).isEqualTo(2);
  }

  @Test
  void atMostEightDialsAreInFlight() {
    PeerPool<String> pool = pool(25);
    List<Enode> all = enodes(20);
    silent.addAll(all);
    all.forEach(pool::offer);
    run(1);
    assertThat(dials).hasSize(8);
    assertThat(stats(pool).dialing()).isEqualTo(8);
  }

  @Property(tries = 30)
  void connectedNeverExceedsTheMaximum(
      @ForAll @IntRange(min = 1, max = 6) int max,
      @ForAll @IntRange(min = 0, max = 12) int candidates,
      @ForAll @IntRange(min = 0, max = 12) int leaving) {
    joined.clear();
    PeerPool<String> pool = pool(max);
    List<Enode> all = enodes(candidates);
    all.forEach(pool::offer);
    run(1);
    for (int i = 0; i < leaving && i < joined.size(); i++) {
      pool.left(joined.get(i).id());
      run(1);
      assertThat(stats(pool).connected()).isLessThanOrEqualTo(max);
    }
    run(120);
    PeerPool.Stats s = stats(pool);
    assertThat(s.connected()).isLessThanOrEqualTo(max);
    assertThat(s.connected()).isEqualTo(Math.min(max, candidates));
    pool.close();
  }
}
