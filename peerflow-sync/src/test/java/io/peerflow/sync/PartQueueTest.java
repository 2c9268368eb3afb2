package io.peerflow.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.chain.block.Block;
import io.peerflow.chain.block.BlockBody;
import io.peerflow.chain.response.BodiesResponse;
import io.peerflow.chain.response.ReceiptsResponse;
import io.peerflow.fetch.Delivery;
import io.peerflow.peers.MessageKind;
import io.peerflow.peers.PeerConnection;
import io.peerflow.peers.PeerSet;
import io.peerflow.peers.SilentPeer;
import io.peerflow.rlp.RlpReader;
import io.peerflow.store.ChainStore;
import io.peerflow.store.Part;
import io.peerflow.store.WriteBatch;
import io.peerflow.time.VirtualTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bodies queue over the first 200 blocks of the shared chain, with a real store. */
class PartQueueTest {

  static final int TOP = 200;
  static List<Block> chain;

  @TempDir Path dir;
  ChainStore store;
  PeerConnection peer;

  @BeforeAll
  static void load() throws IOException {
    byte[] data =
        Files.readAllBytes(
            Path.of(System.getProperty("peerflow.root", "."))
                .resolve("../shared/interop/ethereumjs/gennet-2000.rlp"));
    RlpReader in = new RlpReader(data);
    chain = new ArrayList<>();
    while (in.hasNext() && chain.size() < TOP) {
      chain.add(Block.read(in));
    }
  }

  @BeforeEach
  void setUp() {
    store = ChainStore.open(dir.resolve("db"));
    try (WriteBatch b = store.batch()) {
      for (Block block : chain) {
        b.putHeader(block.header().number(), block.header().hash(), block.header().rlp());
      }
      b.commit();
    }
    peer = new PeerSet(new VirtualTime()).register(new SilentPeer("p"), 68);
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  PartQueue<?> bodies() {
    PartQueue<?> q = PartQueue.of(Part.BODIES, store, 1, TOP, 1);
    q.headersFinished();
    return q;
  }

  /** As the scheduler does: asks what is pending (which loads the window), then reserves. */
  PartQueue.Batch reserve(PartQueue<?> q, int max) {
    assertThat(q.pending()).isPositive();
    return q.reserve(peer, max);
  }

  BodiesResponse answer(PartQueue.Batch b) {
    List<BlockBody> out = new ArrayList<>();
    b.headers().forEach(h -> out.add(chain.get((int) h.number() - 1).body()));
    return new BodiesResponse(out);
  }

  @Test
  void everyBodyIsReservedOnceStoredAndCountedTillTheQueueCloses() {
    PartQueue<?> q = bodies();
    assertThat(q.kind()).isEqualTo(MessageKind.BODIES);
    assertThat(q.part()).isEqualTo(Part.BODIES);
    int asked = 0;
    for (int round = 0; q.pending() > 0; round++) {
      assertThat(round).as("rounds").isLessThan(TOP);
      PartQueue.Batch b = reserve(q, 64);
      asked += b.size();
      assertThat(q.deliver(peer, b, answer(b)).accepted()).isEqualTo(b.size());
    }
    assertThat(q.closed()).isTrue();
    assertThat(q.done()).isEqualTo(TOP);
    BodiesPart part = new BodiesPart();
    long nonEmpty = chain.stream().filter(x -> !part.empty(x.header())).count();
    assertThat(asked).as("bodies asked for: the non-empty ones").isEqualTo(nonEmpty);
    for (Block block : chain) {
      assertThat(store.body(block.header().number()))
          .hasValueSatisfying(x -> assertThat(BlockBody.decode(x)).isEqualTo(block.body()));
    }
  }

  @Test
  void anAnswerOfAnotherKindIsInvalidAndItsItemsGoBack() {
    PartQueue<?> q = bodies();
    int pending = q.pending();
    PartQueue.Batch b = reserve(q, 10);
    Delivery d = q.deliver(peer, b, new ReceiptsResponse(List.of()));
    assertThat(d.valid()).isFalse();
    assertThat(d.invalidReason()).isEqualTo("not a bodies answer: ReceiptsResponse");
    assertThat(q.pending()).isEqualTo(pending);
  }

  @Test
  void aBodyOfAnotherBlockIsInvalidAndNothingOfTheAnswerIsStored() {
    PartQueue<?> q = bodies();
    PartQueue.Batch b = reserve(q, 10);
    List<BlockBody> wrong = new ArrayList<>(answer(b).bodies());
    wrong.set(0, chain.get(0).body().equals(wrong.get(0)) ? wrong.get(1) : chain.get(0).body());
    Delivery d = q.deliver(peer, b, new BodiesResponse(wrong));
    assertThat(d.valid()).isFalse();
    for (var h : b.headers()) {
      assertThat(store.hasBody(h.number())).isFalse();
    }
  }

  @Test
  void anEmptyAnswerMarksThePeerLackingEveryItemAsked() {
    PartQueue<?> q = bodies();
    PartQueue.Batch b = reserve(q, 10);
    assertThat(q.deliver(peer, b, new BodiesResponse(List.of())).accepted()).isZero();
    b.headers().forEach(h -> assertThat(peer.lacks(h.hash())).isTrue());
    assertThat(reserve(q, 10).headers()).doesNotContainAnyElementsOf(b.headers());
  }
}
