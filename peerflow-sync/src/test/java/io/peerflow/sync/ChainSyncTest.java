package io.peerflow.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.Block;
import io.peerflow.chain.block.BlockBody;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.fetch.FetchPolicy;
import io.peerflow.peers.PeerSet;
import io.peerflow.rlp.RlpReader;
import io.peerflow.store.ChainStore;
import io.peerflow.store.Part;
import io.peerflow.testchain.ServingPeer;
import io.peerflow.time.VirtualTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Syncs the shared 2000-block chain from in-process peers into a real store, in virtual time: the
 * peers answer on the same {@link VirtualTime} the sync waits on, so a run is deterministic and
 * takes no longer on a loaded machine than on an idle one.
 */
@Timeout(120)
class ChainSyncTest {

  static final Hash HEAD =
      Hash.fromHex("0xc40495c39559bfc401574c5c3a1adf6a1a31d96be1a20411beda0edcb58897a3");

  /** Far more timer tasks than a 2000-block sync from a few peers runs; a bound, not a target. */
  static final long MAX_TASKS = 10_000_000L;

  static List<Block> chain;

  @TempDir Path dir;
  VirtualTime time;
  ChainStore store;
  PeerSet peers;

  @BeforeAll
  static void load() throws IOException {
    byte[] data =
        Files.readAllBytes(
            Path.of(System.getProperty("peerflow.root", "."))
                .resolve("../shared/interop/ethereumjs/gennet-2000.rlp"));
    RlpReader in = new RlpReader(data);
    chain = new ArrayList<>();
    while (in.hasNext()) {
      chain.add(Block.read(in));
    }
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
    ServingPeer p = new ServingPeer(id, chain, null, time);
    peers.register(p, 68);
    return p;
  }

  ChainSync.Builder builder(long from, long to) {
    return ChainSync.builder(peers, store, time)
        .range(from, to)
        .parts(EnumSet.of(Part.HEADERS, Part.BODIES));
  }

  /** Runs virtual time until {@code f} is done and returns its value (or throws its failure). */
  <T> T await(CompletableFuture<T> f) {
    time.runUntilIdle(MAX_TASKS);
    assertThat(f).as("done once nothing is left to run").isDone();
    return f.join();
  }

  SyncReport sync(long from, long to) {
    return await(builder(from, to).build().start());
  }

  void assertStoredExactly(long from, long to) {
    for (long n = from; n <= to; n++) {
      Block b = chain.get((int) n - 1);
      assertThat(store.canonicalHash(n)).contains(b.header().hash());
      assertThat(store.header(n))
          .hasValueSatisfying(h -> assertThat(h).isEqualTo(b.header().rlp()));
      assertThat(store.body(n))
          .hasValueSatisfying(x -> assertThat(BlockBody.decode(x)).isEqualTo(b.body()));
    }
  }

  static PeerReport report(SyncReport r, String id) {
    return r.peers().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void threeHonestPeersDeliverTheWholeChainAndItIsStoredExactly() {
    peer("a");
    peer("b");
    peer("c");
    SyncReport r = sync(1, 2000);
    assertThat(r.headHash()).isEqualTo(HEAD);
    assertThat(r.blocks()).isEqualTo(2000);
    assertThat(r.peers()).extracting(PeerReport::dropped).containsOnlyNulls();
    assertThat(r.fetched()).containsEntry(Part.HEADERS, 2000L).containsEntry(Part.BODIES, 2000L);
    assertThat(r.fetched().keySet()).containsExactly(Part.HEADERS, Part.BODIES);
    assertStoredExactly(1, 2000);
  }

  @Test
  void theGivenPolicyFactoryMakesEveryScheduler() {
    peer("a");
    List<FetchPolicy> made = new ArrayList<>();
    SyncReport r =
        await(
            builder(1, 2000)
                .policy(
                    () -> {
                      FetchPolicy p = FetchPolicy.geth();
                      made.add(p);
                      return p;
                    })
                .build()
                .start());
    assertThat(r.blocks()).isEqualTo(2000);
    assertThat(made).hasSize(2).doesNotHaveDuplicates(); // headers and bodies, one each
  }

  @Test
  void aPeerForgingAHeaderIsDroppedAndTheRangeIsStillStoredExactly() {
    peer("honest1");
    peer("honest2");
    ServingPeer liar = peer("liar");
    // A self-consistent forgery is impossible to spot within the segment alone: the liar
    // rewrites block 1500's extra data, which changes its hash, and the link from 1501 breaks.
    liar.headerRewrite =
        h -> h.number() == 1500 ? h.toBuilder().extraData(new byte[] {1}).build() : h;
    SyncReport r = sync(1, 2000);
    assertThat(r.headHash()).isEqualTo(HEAD);
    assertStoredExactly(1, 2000);
    assertThat(report(r, "liar").dropped())
        .startsWith("invalid delivery: ")
        .containsAnyOf("not on the chain of the anchor", "does not link");
    assertThat(peers.peer("liar")).isEmpty();
    assertThat(report(r, "honest1").dropped()).isNull();
    assertThat(report(r, "honest2").dropped()).isNull();
  }

  @Test
  void aPeerServingASelfConsistentForkBelowTheAnchorIsDroppedAndNothingOfItIsStored() {
    peer("honest");
    ServingPeer forger = peer("forger");
    // Below 1800 the forger serves a chain of its own, every header linking to the one before,
    // so only the link into block 1800 (its parent hash) can expose it.
    Map<Long, BlockHeader> forged = new HashMap<>();
    Hash parent = chain.get(0).header().parentHash();
    for (int n = 1; n < 1800; n++) {
      BlockHeader h =
          chain.get(n - 1).header().toBuilder()
              .parentHash(parent)
              .extraData(new byte[] {9})
              .build();
      forged.put((long) n, h);
      parent = h.hash();
    }
    forger.headerRewrite = h -> forged.getOrDefault(h.number(), h);
    SyncReport r = sync(1, 2000);
    assertThat(r.headHash()).isEqualTo(HEAD);
    assertStoredExactly(1, 2000);
    assertThat(report(r, "forger").dropped())
        .containsAnyOf("not on the chain of the anchor", "does not link");
  }

  @Test
  void aPeerSendingBodiesOfOtherBlocksIsDropped() {
    peer("honest");
    ServingPeer liar = peer("liar");
    BlockBody other = chain.get(10).body();
    liar.bodyRewrite = b -> other;
    SyncReport r = sync(1, 2000);
    assertStoredExactly(1, 2000);
    assertThat(r.peers())
        .filteredOn(p -> p.id().equals("liar"))
        .singleElement()
        .satisfies(p -> assertThat(p.dropped()).startsWith("invalid delivery: "));
    assertThat(peers.peer("liar")).isEmpty();
  }

  @Test
  void aSecondRunFetchesNothingThatTheFirstStored() {
    ServingPeer a = peer("a");
    sync(1, 1200);
    long headers = a.headersServed.get();
    long bodies = a.bodiesServed.get();
    SyncReport second = sync(1, 2000);
    assertStoredExactly(1, 2000);
    // Only the anchor and the 800 new headers; the 1200 stored ones link and are kept.
    assertThat(a.headersServed.get() - headers).isLessThanOrEqualTo(800 + 1);
    assertThat(a.bodiesServed.get() - bodies).isLessThanOrEqualTo(800);
    assertThat(second.fetched().get(Part.HEADERS)).isEqualTo(800);
  }

  @Test
  void aPeerWhoseConnectionEndsOnItsOwnIsReportedAsLeftWithTheTransportsReason() {
    peer("a");
    peer("b");
    ServingPeer gone = peer("gone");
    ChainSync sync = builder(1, 2000).build();
    // What a transport does when a connection breaks: unregister the peer, then say why.
    peers.unregister("gone");
    sync.peerLeft("gone", "disconnected: breach of protocol (frame MAC mismatch)");
    SyncReport r = await(sync.start());

    assertThat(gone.bodiesServed.get()).isZero();
    assertStoredExactly(1, 2000);
    assertThat(await(sync.progress()).peers())
        .filteredOn(p -> p.id().equals("gone"))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.active()).isFalse();
              assertThat(p.state())
                  .isEqualTo("left: disconnected: breach of protocol (frame MAC mismatch)");
            });
    assertThat(report(r, "gone").left())
        .isEqualTo("disconnected: breach of protocol (frame MAC mismatch)");
    assertThat(report(r, "gone").dropped()).isNull();
    assertThat(report(r, "gone").totalItems()).isZero();
    assertThat(report(r, "a").state()).isEqualTo("ok");
  }

  @Test
  void withEveryPeerGoneTheSyncFailsWithOneClearLineAndKeepsWhatItStored() {
    peer("a");
    CompletableFuture<SyncReport> run = builder(1, 2000).build().start();
    // Let it store part of the range, then the only peer's connection ends.
    for (int step = 0; step < 100_000 && storedHeaders() < 500; step++) {
      time.advance(1_000_000L);
    }
    assertThat(storedHeaders()).isBetween(500L, 1999L);
    peers.unregister("a");

    assertThatThrownBy(() -> await(run))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(SyncException.class)
        .hasMessageContaining("no peers left")
        .hasMessageEndingWith("while fetching blocks #1..#2000");
    // What was stored stays: the headers of a top part of the range, exactly as the chain has
    // them, and the bodies of blocks among them.
    long kept = storedHeaders();
    assertThat(kept).isGreaterThanOrEqualTo(500);
    assertThat(store.missingRanges(Part.HEADERS, 1, 2000))
        .singleElement()
        .satisfies(gap -> assertThat(gap).containsExactly(1, 2000 - kept));
    for (long n = 2000 - kept + 1; n <= 2000; n++) {
      assertThat(store.header(n)).contains(chain.get((int) n - 1).header().rlp());
    }
    for (long n = 1; n <= 2000; n++) {
      long number = n;
      store
          .body(n)
          .ifPresent(
              b -> assertThat(BlockBody.decode(b)).isEqualTo(chain.get((int) number - 1).body()));
    }
  }

  long storedHeaders() {
    return 2000
        - store.missingRanges(Part.HEADERS, 1, 2000).stream().mapToLong(g -> g[1] - g[0] + 1).sum();
  }

  @Test
  void aSyncWhoseAnchorNoPeerHasFailsWithOneClearLine() {
    ServingPeer a = peer("a");
    a.head = 1000;
    assertThatThrownBy(() -> sync(1, 2000))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(SyncException.class)
        .hasMessage("no peer has block #2000");
    assertThat(store.header(2000)).isEmpty();
  }

  @Test
  void theMajorityDecidesTheAnchorAndTheMinorityIsDroppedAsOnAnotherChain() {
    peer("a");
    peer("b");
    ServingPeer odd = peer("odd");
    odd.headerRewrite =
        h -> h.number() == 2000 ? h.toBuilder().extraData(new byte[] {7}).build() : h;
    SyncReport r = sync(1, 2000);
    assertThat(r.headHash()).isEqualTo(HEAD);
    assertThat(report(r, "odd").dropped()).startsWith("on another chain: reports block #2000");
    assertThat(peers.peer("odd")).isEmpty();
  }

  @Test
  void aCancelledSyncFailsWithACancellationAndKeepsWhatItStored() {
    peer("a");
    ChainSync sync = builder(1, 2000).build();
    CompletableFuture<SyncReport> run = sync.start();
    for (int step = 0; step < 100_000 && storedHeaders() < 100; step++) {
      time.advance(1_000_000L);
    }
    sync.cancel();
    assertThatThrownBy(() -> await(run))
        .isInstanceOf(CancellationException.class)
        .hasMessage("sync cancelled");
    assertThat(storedHeaders()).isGreaterThanOrEqualTo(100);
  }
}
