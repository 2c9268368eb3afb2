package io.peerflow.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.Block;
import io.peerflow.chain.block.BlockBody;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.peers.PeerSet;
import io.peerflow.rlp.RlpReader;
import io.peerflow.store.ChainStore;
import io.peerflow.store.Part;
import io.peerflow.testkit.ServingPeer;
import io.peerflow.time.SystemTimer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Syncs the shared 2000-block chain from in-process peers into a real store. */
class ChainSyncTest {

  static final Hash HEAD =
      Hash.fromHex("0xc40495c39559bfc401574c5c3a1adf6a1a31d96be1a20411beda0edcb58897a3");
  static List<Block> chain;

  @TempDir Path dir;
  ExecutorService pool;
  SystemTimer timer;
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
    pool = Executors.newFixedThreadPool(4);
    timer = new SystemTimer("sync-test");
    store = ChainStore.open(dir.resolve("db"));
    peers = new PeerSet(timer.clock());
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    store.close();
    timer.close();
    pool.shutdownNow();
    pool.awaitTermination(5, TimeUnit.SECONDS);
  }

  ServingPeer peer(String id) {
    ServingPeer p = new ServingPeer(id, chain, null, pool);
    peers.register(p, 68);
    return p;
  }

  SyncReport sync(long from, long to) {
    return ChainSync.builder(peers, store, timer)
        .range(from, to)
        .parts(EnumSet.of(Part.HEADERS, Part.BODIES))
        .build()
        .start()
        .orTimeout(60, TimeUnit.SECONDS)
        .join();
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

  @Test
  void threeHonestPeersDeliverTheWholeChainAndItIsStoredExactly() {
    peer("a");
    peer("b");
    peer("c");
    SyncReport r = sync(1, 2000);
    assertThat(r.headHash()).isEqualTo(HEAD);
    assertThat(r.blocks()).isEqualTo(2000);
    assertThat(r.peers()).extracting(PeerReport::dropped).containsOnlyNulls();
    assertStoredExactly(1, 2000);
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
  }

  @Test
  void aPeerServingASelfConsistentForkBelowTheAnchorIsDroppedAndNothingOfItIsStored() {
    peer("honest");
    ServingPeer forger = peer("forger");
    // Below 1800 the forger serves a chain of its own, every header linking to the one before,
    // so only the link into block 1800 (its parent hash) can expose it.
    java.util.Map<Long, BlockHeader> forged = new java.util.HashMap<>();
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
    forger.bodyRewrite = b -> b;
    SyncReport r = sync(1, 2000);
    assertThat(r.headHash()).isEqualTo(HEAD);
    assertStoredExactly(1, 2000);
    assertThat(r.peers())
        .filteredOn(p -> p.id().equals("forger"))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.dropped())
                    .containsAnyOf("not on the chain of the anchor", "does not link"));
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
        .allSatisfy(p -> assertThat(p.dropped()).isNotNull());
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
    assertThat(second.fetched().get("headers")).isEqualTo(800);
  }

  @Test
  void aPeerWhoseConnectionEndsOnItsOwnIsReportedAsLeftWithTheTransportsReason() {
    peer("a");
    peer("b");
    ServingPeer gone = peer("gone");
    ChainSync sync =
        ChainSync.builder(peers, store, timer)
            .range(1, 2000)
            .parts(EnumSet.of(Part.HEADERS, Part.BODIES))
            .build();
    // What a transport does when a connection breaks: unregister the peer, then say why.
    peers.unregister("gone");
    sync.peerLeft("gone", "disconnected: breach of protocol (frame MAC mismatch)");
    SyncReport r = sync.start().orTimeout(60, TimeUnit.SECONDS).join();

    assertThat(gone.bodiesServed.get()).isZero();
    assertStoredExactly(1, 2000);
    assertThat(sync.progress().join().peers())
        .filteredOn(p -> p.id().equals("gone"))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.active()).isFalse();
              assertThat(p.state())
                  .isEqualTo("left: disconnected: breach of protocol (frame MAC mismatch)");
            });
    assertThat(r.peers())
        .filteredOn(p -> p.id().equals("gone"))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.left())
                  .isEqualTo("disconnected: breach of protocol (frame MAC mismatch)");
              assertThat(p.dropped()).isNull();
              assertThat(p.totalItems()).isZero();
            });
    assertThat(r.peers())
        .filteredOn(p -> p.id().equals("a"))
        .singleElement()
        .satisfies(p -> assertThat(p.state()).isEqualTo("ok"));
  }

  @Test
  void withEveryPeerGoneTheSyncFailsWithOneClearLineAndKeepsWhatItStored() {
    ServingPeer a = peer("a");
    a.head = 1000;
    assertThatThrownBy(() -> sync(1, 2000))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(SyncException.class)
        .hasMessageContaining("no peer has block #2000");
  }

  @Test
  void theMajorityDecidesTheAnchorAndTheMinorityIsDropped() {
    peer("a");
    peer("b");
    ServingPeer odd = peer("odd");
    odd.headerRewrite =
        h -> h.number() == 2000 ? h.toBuilder().extraData(new byte[] {7}).build() : h;
    SyncReport r = sync(1, 2000);
    assertThat(r.headHash()).isEqualTo(HEAD);
    assertThat(r.peers())
        .filteredOn(p -> p.id().equals("odd"))
        .singleElement()
        .satisfies(p -> assertThat(p.dropped()).contains("reports block #2000"));
  }
}
