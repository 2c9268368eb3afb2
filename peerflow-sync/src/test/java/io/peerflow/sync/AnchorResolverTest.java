package io.peerflow.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerflow.chain.block.Block;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.concurrent.SerialExecutor;
import io.peerflow.fetch.DropReason;
import io.peerflow.peers.PeerSet;
import io.peerflow.rlp.RlpReader;
import io.peerflow.testchain.ServingPeer;
import io.peerflow.time.VirtualTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The anchor vote over in-process peers serving the shared chain, in virtual time. */
class AnchorResolverTest {

  static final long SECOND = 1_000_000_000L;
  static List<Block> chain;

  final VirtualTime time = new VirtualTime();
  final PeerSet peers = new PeerSet(time);
  final SerialExecutor serial =
      new SerialExecutor(
          time,
          e -> {
            throw e;
          });
  final List<String> drops = new ArrayList<>();
  final AnchorResolver resolver =
      new AnchorResolver(
          peers,
          time,
          serial,
          15 * SECOND,
          (peer, reason, detail) -> drops.add(peer.id() + " " + reason + " " + detail));

  @BeforeAll
  static void load() throws IOException {
    byte[] data =
        Files.readAllBytes(
            Path.of(System.getProperty("peerflow.root", "."))
                .resolve("../shared/interop/ethereumjs/gennet-2000.rlp"));
    RlpReader in = new RlpReader(data);
    chain = new ArrayList<>();
    while (in.hasNext() && chain.size() < 100) {
      chain.add(Block.read(in));
    }
  }

  ServingPeer peer(String id) {
    ServingPeer p = new ServingPeer(id, chain, null, time);
    peers.register(p, 68);
    return p;
  }

  /** Asks on the serial executor, as the sync does, and runs time until the answer is in. */
  BlockHeader resolve(Function<AnchorResolver, CompletableFuture<BlockHeader>> ask) {
    CompletableFuture<BlockHeader> out = new CompletableFuture<>();
    serial.execute(
        () ->
            ask.apply(resolver)
                .whenComplete(
                    (h, e) -> {
                      if (e == null) {
                        out.complete(h);
                      } else {
                        out.completeExceptionally(e);
                      }
                    }));
    time.runUntilIdle(1_000_000);
    assertThat(out).isDone();
    return out.join();
  }

  @Test
  void theMajoritysBlockIsTheAnchorAndTheMinorityIsDroppedAsOnAnotherChain() {
    peer("a");
    peer("b");
    peer("odd").headerRewrite =
        h -> h.number() == 100 ? h.toBuilder().extraData(new byte[] {7}).build() : h;
    BlockHeader anchor = resolve(r -> r.byNumber(100));
    assertThat(anchor).isEqualTo(chain.get(99).header());
    assertThat(drops)
        .singleElement()
        .asString()
        .startsWith("odd " + DropReason.ANOTHER_CHAIN + " reports block #100 as ");
  }

  @Test
  void aTieIsNotGuessedButReportedWithBothBlocks() {
    peer("a");
    peer("odd").headerRewrite =
        h -> h.number() == 100 ? h.toBuilder().extraData(new byte[] {7}).build() : h;
    assertThatThrownBy(() -> resolve(r -> r.byNumber(100)))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(SyncException.class)
        .hasMessageStartingWith("peers disagree on block #100: ");
    assertThat(drops).isEmpty();
  }

  @Test
  void aPeerThatNeverAnswersIsLeftOutOfTheVoteAfterTheTimeout() {
    peer("a");
    peer("silent").stalling = true;
    BlockHeader anchor = resolve(r -> r.byNumber(50));
    assertThat(anchor).isEqualTo(chain.get(49).header());
    assertThat(time.nanos()).isGreaterThanOrEqualTo(new VirtualTime().nanos() + 15 * SECOND);
  }

  @Test
  void byHashTheFirstPeerWithTheBlockSettlesIt() {
    peer("behind").head = 10;
    peer("a");
    BlockHeader want = chain.get(59).header();
    assertThat(resolve(r -> r.byHash(want.hash(), 60))).isEqualTo(want);
    assertThatThrownBy(() -> resolve(r -> r.byHash(want.hash(), 61)))
        .cause()
        .hasMessageEndingWith("is #60, not #61");
  }
}
