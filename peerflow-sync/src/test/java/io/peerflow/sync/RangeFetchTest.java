package io.peerflow.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerflow.chain.block.Block;
import io.peerflow.chain.block.BlockBody;
import io.peerflow.peers.PeerSet;
import io.peerflow.store.ChainStore;
import io.peerflow.store.Part;
import io.peerflow.testchain.ServingPeer;
import io.peerflow.time.VirtualTime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a sync's fetch deals with peers that serve only part of the history: the earliest block an
 * eth/69 peer announces, an eth/68 peer's empty answers, and blocks no peer serves. Syncs the
 * shared 2000-block chain in virtual time, as {@link ChainSyncTest} does.
 */
@Timeout(120)
class RangeFetchTest {

  /** Where the history of the "recent" peers starts: blocks below have no body from them. */
  static final long EARLIEST = 1001;

  @TempDir Path dir;
  VirtualTime time;
  ChainStore store;
  PeerSet peers;

  @BeforeAll
  static void load() throws IOException {
    ChainSyncTest.load();
  }

  @BeforeEach
  void setUp() {
    time = new VirtualTime();
    store = ChainStore.open(dir.resolve("db"));
    peers = new PeerSet(time);
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  ServingPeer peer(String id) {
    ServingPeer p = new ServingPeer(id, ChainSyncTest.chain, null, time);
    peers.register(p, 68);
    return p;
  }

  /** A peer that keeps bodies from {@link #EARLIEST} on and says so, as an eth/69 one does. */
  ServingPeer recent(String id) {
    ServingPeer p = peer(id);
    p.earliest = EARLIEST;
    return p;
  }

  CompletableFuture<SyncReport> start() {
    return ChainSync.builder(peers, store, time)
        .range(1, 2000)
        .parts(EnumSet.of(Part.HEADERS, Part.BODIES))
        .build()
        .start();
  }

  <T> T await(CompletableFuture<T> f) {
    time.runUntilIdle(ChainSyncTest.MAX_TASKS);
    assertThat(f).as("done once nothing is left to run").isDone();
    return f.join();
  }

  void assertBodiesStored(long from, long to) {
    for (long n = from; n <= to; n++) {
      Block b = ChainSyncTest.chain.get((int) n - 1);
      assertThat(store.header(n)).contains(b.header().rlp());
      assertThat(store.body(n))
          .hasValueSatisfying(x -> assertThat(BlockBody.decode(x)).isEqualTo(b.body()));
    }
  }

  /** The highest block below {@code n} whose body is not empty, so must be asked for. */
  static long highestNonEmptyBelow(long n) {
    BodiesPart bodies = new BodiesPart();
    for (long k = n - 1; k >= 1; k--) {
      if (!bodies.empty(ChainSyncTest.chain.get((int) k - 1).header())) {
        return k;
      }
    }
    throw new AssertionError("no block below #" + n + " has a body");
  }

  @Test
  void aPeerAnnouncingTheEarliestBlockItServesIsNeverAskedForAnOlderBody() {
    peer("full");
    ServingPeer recent = recent("recent");
    SyncReport r = await(start());

    assertBodiesStored(1, 2000);
    assertThat(recent.askedBelowEarliest.get()).isZero();
    assertThat(recent.bodiesServed.get()).isPositive();
    assertThat(r.peers()).extracting(PeerReport::dropped).containsOnlyNulls();
  }

  @Test
  void twoPeersWithComplementaryRangesTogetherCompleteTheSync() {
    ServingPeer old = peer("old");
    old.head = 1200; // the old blocks, up to #1200
    ServingPeer recent = recent("recent"); // from #1001 up
    SyncReport r = await(start());

    assertBodiesStored(1, 2000);
    assertThat(recent.askedBelowEarliest.get()).isZero();
    assertThat(old.bodiesServed.get()).isPositive();
    assertThat(recent.bodiesServed.get()).isPositive();
    assertThat(old.bodiesServed.get() + recent.bodiesServed.get())
        .isGreaterThanOrEqualTo(r.fetched().get(Part.BODIES) - countEmptyBodies());
    assertThat(r.peers()).extracting(PeerReport::dropped).containsOnlyNulls();
  }

  static long countEmptyBodies() {
    BodiesPart bodies = new BodiesPart();
    return ChainSyncTest.chain.stream().filter(b -> bodies.empty(b.header())).count();
  }

  @Test
  void aRangeNoPeerServesEndsTheSyncWithOneLineNamingItAndTheEraFiles() {
    ServingPeer a = recent("a");
    ServingPeer b = recent("b");
    CompletableFuture<SyncReport> run = start();

    assertThatThrownBy(() -> await(run))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(SyncException.class)
        .hasMessage(
            "no peer serves bodies of blocks #1..#"
                + highestNonEmptyBelow(EARLIEST)
                + " (peers serve from #1001); era files can fill it: sync --era DIR, or import"
                + " --era");
    assertThat(a.askedBelowEarliest.get() + b.askedBelowEarliest.get()).isZero();
    // What the peers do serve is stored, and they stay connected: they did nothing wrong.
    assertBodiesStored(EARLIEST, 2000);
    assertThat(peers.peer("a")).isPresent();
    assertThat(peers.peer("b")).isPresent();
  }

  @Test
  void anEth68PeerAnsweringEmptyForOldBodiesIsMarkedLackingAndNotDropped() {
    ServingPeer full = peer("full");
    // Slow, so that the expired peer is asked for old bodies too.
    full.latencyNanos = 200_000_000L;
    ServingPeer expired = recent("expired");
    expired.announcesEarliest = false;
    SyncReport r = await(start());

    assertBodiesStored(1, 2000);
    assertThat(expired.askedBelowEarliest.get()).isPositive();
    assertThat(r.peers()).extracting(PeerReport::dropped).containsOnlyNulls();
    assertThat(peers.peer("expired")).isPresent();
  }

  @Test
  void anEth68PeerAloneThatLacksOldBodiesEndsTheSyncWithTheLineNotWithADrop() {
    ServingPeer expired = recent("expired");
    expired.announcesEarliest = false;
    CompletableFuture<SyncReport> run = start();

    assertThatThrownBy(() -> await(run))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(SyncException.class)
        .hasMessageStartingWith("no peer serves bodies of blocks #1..#")
        .hasMessageContaining("(the peers answered that they do not have them)")
        .hasMessageEndingWith("era files can fill it: sync --era DIR, or import --era");
    assertThat(peers.peer("expired")).isPresent();
  }

  @Test
  void headersNoPeerHasEndTheSyncWithTheLineAndThoseAboveAreAllFetched() {
    ServingPeer a = recent("a");
    a.headersFromEarliest = true;
    CompletableFuture<SyncReport> run = start();

    assertThatThrownBy(() -> await(run))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(SyncException.class)
        .hasMessage(
            "no peer serves headers of blocks #1..#1000 (peers serve from #1001); era files can"
                + " fill it: sync --era DIR, or import --era");
    // No segment straddled #1001, so every header the peer has was asked for and stored.
    assertThat(store.missingRanges(Part.HEADERS, 1, 2000))
        .singleElement()
        .satisfies(gap -> assertThat(gap).containsExactly(1, 1000));
    assertThat(peers.peer("a")).isPresent();
  }
}
