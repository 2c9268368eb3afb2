package io.peerflow.eth;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.source.ChainSource;
import io.peerflow.eth.wire.EthMessages;
import io.peerflow.testchain.MemoryChain;
import io.peerflow.time.VirtualTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RangeAnnouncerTest {

  static final MemoryChain CHAIN = MemoryChain.generate(4255, 300, 0, 0);
  static final long EVERY = 12_000_000_000L;
  final VirtualTime time = new VirtualTime();
  final List<EthMessages.BlockRange> announced = new ArrayList<>();

  /** The chain cut at a head the test moves, or failing to say its head. */
  static final class Head implements ChainSource {
    volatile int head;
    volatile boolean failing;

    Head(int head) {
      this.head = head;
    }

    @Override
    public BlockHeader head() {
      if (failing) {
        throw new IllegalStateException("store closed");
      }
      return CHAIN.block(head).header();
    }

    @Override
    public long earliest() {
      return 0;
    }

    @Override
    public Optional<byte[]> header(long number) {
      return CHAIN.header(number);
    }

    @Override
    public OptionalLong number(Hash hash) {
      return CHAIN.number(hash);
    }

    @Override
    public Optional<byte[]> body(Hash hash) {
      return CHAIN.body(hash);
    }

    @Override
    public Optional<byte[]> receipts(Hash hash) {
      return CHAIN.receipts(hash);
    }
  }

  RangeAnnouncer start(Head source) {
    return new RangeAnnouncer(source, time, EVERY, announced::add);
  }

  @Test
  void aHeadThirtyOneBlocksAheadWaitsAndThirtyTwoIsAnnouncedAtTheNextCheck() {
    Head source = new Head(100);
    start(source);
    source.head = 131;
    time.advance(10 * EVERY);
    assertThat(announced).isEmpty();
    source.head = 132;
    time.advance(EVERY - 1);
    assertThat(announced).isEmpty();
    time.advance(1);
    assertThat(announced)
        .containsExactly(new EthMessages.BlockRange(0, 132, CHAIN.block(132).header().hash()));
    source.head = 163;
    time.advance(EVERY);
    assertThat(announced).hasSize(1);
  }

  @Test
  void aHeadThatMovesBackIsAnnouncedAtTheNextCheck() {
    Head source = new Head(150);
    start(source);
    source.head = 149;
    time.advance(EVERY);
    assertThat(announced).extracting(EthMessages.BlockRange::latest).containsExactly(149L);
  }

  @Test
  void aSourceThatFailsIsAskedAgainAtTheNextCheck() {
    Head source = new Head(100);
    start(source);
    source.failing = true;
    time.advance(EVERY);
    source.failing = false;
    source.head = 200;
    time.advance(EVERY);
    assertThat(announced).extracting(EthMessages.BlockRange::latest).containsExactly(200L);
  }

  @Test
  void aStoppedAnnouncerChecksNoMore() {
    Head source = new Head(100);
    start(source).stop();
    source.head = 200;
    time.advance(10 * EVERY);
    assertThat(announced).isEmpty();
    assertThat(time.pending()).isZero();
  }
}
