package io.peerflow.eth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.config.ChainConfig;
import io.peerflow.chain.response.BodiesResponse;
import io.peerflow.chain.response.HeadersResponse;
import io.peerflow.chain.response.ReceiptsResponse;
import io.peerflow.chain.source.ChainSource;
import io.peerflow.rlpx.NodeKey;
import io.peerflow.testchain.MemoryChain;
import io.peerflow.time.VirtualTime;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Two peerflow nodes over loopback: one serving a chain, one asking. */
class EthNodeTest {

  static MemoryChain chain;
  final List<EthNode> nodes = new ArrayList<>();

  @BeforeAll
  static void data() {
    chain = MemoryChain.generate(4242, 1500, 4, 200);
  }

  @AfterEach
  void stop() {
    nodes.forEach(EthNode::close);
  }

  EthNode server(ChainSource source, ChainConfig config, List<Integer> versions) {
    return serverWith(
        EthNodeConfig.builder(NodeKey.generate(), config).source(source).versions(versions));
  }

  EthNode serverWith(EthNodeConfig.Builder builder) {
    EthNode n = EthNode.start(builder.listen(new InetSocketAddress("127.0.0.1", 0)).build());
    nodes.add(n);
    return n;
  }

  /** A node serving {@code chain} through a {@link ShapedServing} on virtual time. */
  EthNode shapedServer(Shaping shaping, VirtualTime time) {
    return serverWith(
        EthNodeConfig.builder(NodeKey.generate(), chain.config())
            .source(chain)
            .serving(new ShapedServing(Serving.of(chain), shaping, time))
            .timer(time)
            .versions(List.of(69)));
  }

  EthNode client(ChainConfig config, List<Integer> versions) {
    EthNode n =
        EthNode.start(EthNodeConfig.builder(NodeKey.generate(), config).versions(versions).build());
    nodes.add(n);
    return n;
  }

  EthPeer connect(int version) {
    EthNode s = server(chain, chain.config(), List.of(68, 69, 70));
    EthNode c = client(chain.config(), List.of(version));
    return c.dial(s.enode().orElseThrow()).orTimeout(10, TimeUnit.SECONDS).join();
  }

  @ParameterizedTest(name = "eth/{0}")
  @ValueSource(ints = {68, 69, 70})
  void headersByNumberAndHashWithSkipAndReverseComeBackAsAsked(int version) {
    EthPeer p = connect(version);
    assertThat(p.version()).isEqualTo(version);
    assertThat(p.headHash()).isEqualTo(chain.head().hash());
    HeadersResponse r = p.requestHeadersByNumber(10, 5, 2, false).join();
    assertThat(r.headers())
        .extracting(BlockHeader::number)
        .containsExactly(10L, 13L, 16L, 19L, 22L);
    Hash h100 = chain.block(100).header().hash();
    r = p.requestHeadersByHash(h100, 4, 0, true).join();
    assertThat(r.headers()).extracting(BlockHeader::number).containsExactly(100L, 99L, 98L, 97L);
    assertThat(r.headers().get(0)).isEqualTo(chain.block(100).header());
    r = p.requestHeadersByNumber(1499, 10, 0, false).join();
    assertThat(r.headers()).extracting(BlockHeader::number).containsExactly(1499L, 1500L);
    r = p.requestHeadersByNumber(3, 10, 1, true).join();
    assertThat(r.headers()).extracting(BlockHeader::number).containsExactly(3L, 1L);
  }

  @ParameterizedTest(name = "eth/{0}")
  @ValueSource(ints = {68, 69, 70})
  void bodiesAndReceiptsMatchTheirHeadersAndUnknownHashesAreSkipped(int version) {
    EthPeer p = connect(version);
    List<Hash> hashes = new ArrayList<>();
    for (int n = 200; n < 210; n++) {
      hashes.add(chain.block(n).header().hash());
    }
    hashes.add(5, Hash.fromHex("0x" + "ab".repeat(32)));
    BodiesResponse b = p.requestBodies(hashes).join();
    assertThat(b.bodies()).hasSize(10);
    ReceiptsResponse rr = p.requestReceipts(hashes).join();
    // eth/70 answers stop at an unknown block, as go-ethereum's do: its first block's receipt
    // index makes positions matter.
    int receipts = version >= 70 ? 5 : 10;
    assertThat(rr.receipts()).hasSize(receipts);
    for (int i = 0; i < 10; i++) {
      BlockHeader h = chain.block(200 + i).header();
      assertThat(b.bodies().get(i).mismatch(h)).isEmpty();
      if (i < receipts) {
        assertThat(rr.receipts().get(i).mismatch(h)).isEmpty();
        assertThat(rr.receipts().get(i)).isEqualTo(chain.blockReceipts(200 + i));
      }
    }
  }

  @Test
  void aServerAnswersAtMost1024Headers() {
    EthPeer p = connect(69);
    HeadersResponse r = p.requestHeadersByNumber(0, 1400, 0, false).join();
    assertThat(r.headers()).hasSize(1024);
  }

  @Test
  void bodiesStopOnceTheAnswerPassesTwoMebibytes() {
    MemoryChain big = MemoryChain.generate(4243, 40, 1, 100_000);
    EthNode s = server(big, big.config(), List.of(69));
    EthPeer p = client(big.config(), List.of(69)).dial(s.enode().orElseThrow()).join();
    List<Hash> all = new ArrayList<>();
    for (int n = 1; n <= 40; n++) {
      all.add(big.block(n).header().hash());
    }
    int got = p.requestBodies(all).join().bodies().size();
    // Each body is about 100 kB: the answer stops with the one that passes 2 MiB.
    assertThat(got).isBetween(20, 22);
  }

  /** Waits until the server has scheduled more than {@code tasks} tasks on its virtual time. */
  static void awaitScheduled(VirtualTime time, int tasks) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (time.pending() <= tasks) {
      assertThat(System.nanoTime()).as("the request reached the server").isLessThan(end);
      Thread.onSpinWait();
    }
  }

  @Test
  void aShapedServerHoldsEachAnswerUntilItsLatencyAndShareOfTheRateHavePassed() {
    VirtualTime time = new VirtualTime();
    EthNode s = shapedServer(new Shaping(2000, Duration.ofMillis(50)), time);
    EthPeer p = client(chain.config(), List.of(69)).dial(s.enode().orElseThrow()).join();
    int before = time.pending();
    var answer = p.requestHeadersByNumber(0, 200, 0, false);
    awaitScheduled(time, before);
    // 200 headers at 2000 per second cost 100 ms, on top of 50 ms of latency.
    time.advance(Duration.ofMillis(150).toNanos() - 1);
    assertThat(time.pending()).as("the answer is still held").isGreaterThan(before);
    assertThat(answer).isNotDone();
    time.advance(1);
    assertThat(answer.orTimeout(10, TimeUnit.SECONDS).join().headers()).hasSize(200);
  }

  @Test
  void aPeerOnAnotherNetworkIsRefusedWithBothIds() {
    MemoryChain other = MemoryChain.generate(4244, 1, 0, 0);
    EthNode s = server(other, other.config(), List.of(69));
    EthNode c = client(chain.config(), List.of(69));
    assertThatThrownBy(() -> c.dial(s.enode().orElseThrow()).join())
        .isInstanceOf(CompletionException.class)
        .hasMessageContaining("network mismatch")
        .hasMessageContaining("4244")
        .hasMessageContaining("4242");
  }

  @Test
  void anUnreachablePeerIsOneClearError() {
    EthNode c = client(chain.config(), List.of(69));
    var enode =
        io.peerflow.rlpx.Enode.parse("enode://" + NodeKey.generate().id().toHex() + "@127.0.0.1:1");
    assertThatThrownBy(() -> c.dial(enode).join()).hasMessageContaining("cannot reach 127.0.0.1:1");
  }

  @Test
  void disconnectingFailsEveryPendingRequest() {
    // On a virtual time nobody moves, a shaped server never answers.
    EthNode s = shapedServer(new Shaping(10, Duration.ZERO), new VirtualTime());
    EthPeer p = client(chain.config(), List.of(69)).dial(s.enode().orElseThrow()).join();
    var slow = p.requestHeadersByNumber(0, 500, 0, false);
    p.disconnect(io.peerflow.rlpx.DisconnectReason.REQUESTED);
    assertThatThrownBy(() -> slow.orTimeout(10, TimeUnit.SECONDS).join())
        .hasCauseInstanceOf(EthException.class);
  }
}
