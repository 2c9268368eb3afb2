package io.peerflow.eth;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.chain.Hash;
import io.peerflow.peers.MessageKind;
import io.peerflow.rlpx.NodeKey;
import io.peerflow.testchain.MemoryChain;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a serving node tells its {@link ServingObserver}, over loopback. */
class ServingObserverTest {

  static MemoryChain chain;
  final List<EthNode> nodes = new ArrayList<>();

  /** One answer as the observer saw it. */
  record Seen(MessageKind kind, int items, int bytes) {}

  @BeforeAll
  static void data() {
    chain = MemoryChain.generate(4245, 50, 3, 100);
  }

  @AfterEach
  void stop() {
    nodes.forEach(EthNode::close);
  }

  @Test
  void everyAnswerIsReportedOnceWithItsKindItemsAndSizeBeforeItIsSent() {
    List<Seen> seen = new CopyOnWriteArrayList<>();
    EthNode server =
        EthNode.start(
            EthNodeConfig.builder(NodeKey.generate(), chain.config())
                .source(chain)
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .servingObserver((kind, items, bytes) -> seen.add(new Seen(kind, items, bytes)))
                .build());
    nodes.add(server);
    EthNode client =
        EthNode.start(EthNodeConfig.builder(NodeKey.generate(), chain.config()).build());
    nodes.add(client);
    EthPeer p = client.dial(server.enode().orElseThrow()).orTimeout(10, TimeUnit.SECONDS).join();

    p.requestHeadersByNumber(10, 5, 0, false).join();
    List<Hash> hashes = new ArrayList<>();
    for (int n = 20; n < 27; n++) {
      hashes.add(chain.block(n).header().hash());
    }
    hashes.add(Hash.fromHex("0x" + "cd".repeat(32))); // unknown: skipped, so not counted
    p.requestBodies(hashes).join();
    p.requestReceipts(hashes.subList(0, 3)).join();

    // Each answer is reported before it goes out, so its arrival means it was counted.
    assertThat(seen)
        .extracting(Seen::kind, Seen::items)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(MessageKind.HEADERS, 5),
            org.assertj.core.groups.Tuple.tuple(MessageKind.BODIES, 7),
            org.assertj.core.groups.Tuple.tuple(MessageKind.RECEIPTS, 3));
    assertThat(seen).allSatisfy(s -> assertThat(s.bytes()).isGreaterThan(s.items()));
  }

  @Test
  void aNodeGivenNoObserverServesAsBefore() {
    EthNodeConfig config = EthNodeConfig.builder(NodeKey.generate(), chain.config()).build();
    assertThat(config.servingObserver()).isSameAs(ServingObserver.NONE);
    assertThat(config.rlpxObserver()).isSameAs(io.peerflow.rlpx.RlpxObserver.NONE);
  }
}
