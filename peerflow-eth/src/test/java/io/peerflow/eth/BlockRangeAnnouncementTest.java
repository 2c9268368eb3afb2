package io.peerflow.eth;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.source.ChainSource;
import io.peerflow.rlpx.NodeKey;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A serving node whose chain grows or rewinds tells its eth/69 peers, as go-ethereum does. */
class BlockRangeAnnouncementTest {

  static final Duration CHECK = Duration.ofMillis(20);

  /** Many checks: an announcement not seen by then was not sent. */
  static final Duration QUIET = CHECK.multipliedBy(15);

  static MemoryChain chain;
  final List<EthNode> nodes = new ArrayList<>();

  @BeforeAll
  static void data() {
    chain = MemoryChain.generate(4247, 200, 0, 0);
  }

  @AfterEach
  void stop() {
    nodes.forEach(EthNode::close);
  }

  /** The test chain cut at a head that the test moves. */
  static final class MovingHead implements ChainSource {
    volatile int head;

    MovingHead(int head) {
      this.head = head;
    }

    @Override
    public BlockHeader head() {
      return chain.blocks.get(head).header();
    }

    @Override
    public long earliest() {
      return 0;
    }

    @Override
    public Optional<byte[]> header(long number) {
      return number > head ? Optional.empty() : chain.header(number);
    }

    @Override
    public OptionalLong number(Hash hash) {
      OptionalLong n = chain.number(hash);
      return n.isPresent() && n.getAsLong() > head ? OptionalLong.empty() : n;
    }

    @Override
    public Optional<byte[]> body(Hash hash) {
      return number(hash).isPresent() ? chain.body(hash) : Optional.empty();
    }

    @Override
    public Optional<byte[]> receipts(Hash hash) {
      return number(hash).isPresent() ? chain.receipts(hash) : Optional.empty();
    }
  }

  EthPeer connect(MovingHead source, int clientVersion) {
    EthNode s =
        EthNode.start(
            EthNodeConfig.builder(NodeKey.generate(), chain.config)
                .source(source)
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .rangeCheckInterval(CHECK)
                .build());
    nodes.add(s);
    EthNode c =
        EthNode.start(
            EthNodeConfig.builder(NodeKey.generate(), chain.config)
                .versions(List.of(clientVersion))
                .build());
    nodes.add(c);
    return c.dial(s.enode().orElseThrow()).orTimeout(10, TimeUnit.SECONDS).join();
  }

  static boolean within(Duration d, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + d.toNanos();
    while (System.nanoTime() < end) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(5);
    }
    return condition.getAsBoolean();
  }

  @Test
  void aHeadThatAdvancesByAnEpochIsAnnouncedAndSmallerStepsWait() throws Exception {
    MovingHead source = new MovingHead(100);
    EthPeer p = connect(source, 69);
    assertThat(p.headNumber()).isEqualTo(100);

    source.head = 131; // 31 blocks: not yet worth a message
    assertThat(within(QUIET, () -> p.headNumber() != 100)).isFalse();

    source.head = 132;
    assertThat(within(Duration.ofSeconds(5), () -> p.headNumber() == 132)).isTrue();
    assertThat(p.headHash()).isEqualTo(chain.blocks.get(132).header().hash());
  }

  @Test
  void aHeadThatMovesBackIsAnnouncedAtOnce() throws Exception {
    MovingHead source = new MovingHead(150);
    EthPeer p = connect(source, 69);
    source.head = 149;
    assertThat(within(Duration.ofSeconds(5), () -> p.headNumber() == 149)).isTrue();
  }

  @Test
  void anEth68PeerIsNotSentTheEth69OnlyMessage() throws Exception {
    MovingHead source = new MovingHead(100);
    EthPeer p = connect(source, 68);
    source.head = 180;
    // Our eth/68 side treats a BlockRangeUpdate as a breach; the session must outlive the checks.
    assertThat(within(QUIET, () -> p.closeFuture().isDone())).isFalse();
    assertThat(p.requestHeadersByNumber(180, 1, 0, false).join().headers())
        .extracting(BlockHeader::number)
        .containsExactly(180L);
  }
}
