package io.peerflow.eth;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.source.ChainSource;
import io.peerflow.rlpx.NodeKey;
import io.peerflow.testchain.MemoryChain;
import io.peerflow.time.VirtualTime;
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

/**
 * A serving node whose chain grows or rewinds tells its eth/69 peers, as go-ethereum does: two
 * nodes over loopback, the server on virtual time (the exact boundaries are {@link
 * RangeAnnouncerTest}'s).
 */
class BlockRangeAnnouncementTest {

  /** One mainnet slot, as in production; it passes only when the test moves virtual time. */
  static final Duration CHECK = Duration.ofSeconds(12);

  /** How long a message already sent may take to cross loopback on a loaded machine. */
  static final Duration BOUND = Duration.ofSeconds(10);

  static MemoryChain chain;
  final List<EthNode> nodes = new ArrayList<>();
  final VirtualTime time = new VirtualTime();

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
    volatile long earliest;

    MovingHead(int head) {
      this.head = head;
    }

    @Override
    public BlockHeader head() {
      return chain.block(head).header();
    }

    @Override
    public long earliest() {
      return earliest;
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
            EthNodeConfig.builder(NodeKey.generate(), chain.config())
                .source(source)
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .rangeCheckInterval(CHECK)
                .timer(time)
                .build());
    nodes.add(s);
    EthNode c =
        EthNode.start(
            EthNodeConfig.builder(NodeKey.generate(), chain.config())
                .versions(List.of(clientVersion))
                .build());
    nodes.add(c);
    EthPeer p = c.dial(s.enode().orElseThrow()).orTimeout(10, TimeUnit.SECONDS).join();
    // Our dial completes on the server's Status; the server takes us in on ours, a moment later.
    // A check before that would announce to nobody and then consider the range announced.
    await(() -> s.peers().size() == 1, "the server has taken the peer in");
    return p;
  }

  /** Waits, within a bound, for what the server sent to reach the client. */
  static void await(BooleanSupplier condition, String what) {
    long end = System.nanoTime() + BOUND.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(end);
      Thread.onSpinWait();
    }
  }

  /**
   * A request and its answer: anything the server sent before the answer (on the thread that moved
   * its time, before the request was made) has reached the client by then.
   */
  static void roundTrip(EthPeer p) {
    p.requestHeadersByNumber(0, 1, 0, false).orTimeout(10, TimeUnit.SECONDS).join();
  }

  @Test
  void aHeadThatAdvancesByAnEpochIsAnnouncedAndSmallerStepsWait() {
    MovingHead source = new MovingHead(100);
    EthPeer p = connect(source, 69);
    assertThat(p.headNumber()).isEqualTo(100);

    source.head = 131; // 31 blocks: not yet worth a message
    time.advance(CHECK.multipliedBy(15).toNanos());
    roundTrip(p);
    assertThat(p.headNumber()).isEqualTo(100);

    source.head = 132;
    time.advance(CHECK.toNanos());
    await(() -> p.headNumber() == 132, "the announcement of block 132");
    assertThat(p.headHash()).isEqualTo(chain.block(132).header().hash());
  }

  @Test
  void aHeadThatMovesBackIsAnnouncedAtTheNextCheck() {
    MovingHead source = new MovingHead(150);
    EthPeer p = connect(source, 69);
    source.head = 149;
    time.advance(CHECK.toNanos());
    await(() -> p.headNumber() == 149, "the announcement of the rewind");
  }

  @Test
  void anEth68PeerIsNotSentTheEth69OnlyMessage() {
    MovingHead source = new MovingHead(100);
    EthPeer p = connect(source, 68);
    source.head = 180;
    time.advance(CHECK.multipliedBy(15).toNanos());
    // Our eth/68 side treats a BlockRangeUpdate as a breach; the session must outlive the checks.
    assertThat(p.requestHeadersByNumber(180, 1, 0, false).join().headers())
        .extracting(BlockHeader::number)
        .containsExactly(180L);
    assertThat(p.closeFuture()).isNotDone();
  }

  @Test
  void theEarliestBlockAPeerServesIsReadFromItsStatusAndThenFromItsUpdates() {
    MovingHead source = new MovingHead(100);
    source.earliest = 40;
    EthPeer p = connect(source, 69);
    assertThat(p.servedFrom()).isEqualTo(40);

    source.earliest = 90; // history expired further while the chain grew an epoch
    source.head = 132;
    time.advance(CHECK.toNanos());
    await(() -> p.headNumber() == 132, "the announcement of block 132");
    assertThat(p.servedFrom()).isEqualTo(90);
  }

  @Test
  void anEth68PeerAnnouncesNothingSoItIsTakenToServeEverything() {
    MovingHead source = new MovingHead(100);
    source.earliest = 40;
    EthPeer p = connect(source, 68);
    assertThat(p.servedFrom()).isZero();
  }
}
