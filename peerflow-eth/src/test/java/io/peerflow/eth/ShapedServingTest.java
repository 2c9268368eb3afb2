package io.peerflow.eth;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.eth.wire.EthMessages;
import io.peerflow.testchain.MemoryChain;
import io.peerflow.time.VirtualTime;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ShapedServingTest {

  static final MemoryChain CHAIN = MemoryChain.generate(4254, 500, 0, 0);
  static final long MS = 1_000_000L;
  final VirtualTime time = new VirtualTime();

  ShapedServing shaped(double rate, long latencyMs) {
    return new ShapedServing(
        Serving.of(CHAIN), new Shaping(rate, Duration.ofMillis(latencyMs)), time);
  }

  static EthMessages.HeadersRequest headers(int amount) {
    return new EthMessages.HeadersRequest(1, null, 1, amount, 0, false);
  }

  @Test
  void anAnswerWaitsItsLatencyPlusItsItemsCostAndNoLonger() {
    ShapedServing s = shaped(2000, 50);
    CompletableFuture<Serving.Answer> a = s.headers(headers(200));
    // 200 items at 2000/s: 100 ms, after 50 ms of latency.
    time.advance(150 * MS - 1);
    assertThat(a).isNotDone();
    time.advance(1);
    assertThat(a.join().items()).isEqualTo(200);
  }

  @Test
  void answersShareOneBudgetAndQueueBehindEachOther() {
    ShapedServing s = shaped(1000, 0);
    CompletableFuture<Serving.Answer> first = s.headers(headers(100));
    CompletableFuture<Serving.Answer> second = s.headers(headers(100));
    time.advance(100 * MS);
    assertThat(first).isDone();
    assertThat(second).isNotDone();
    time.advance(100 * MS - 1);
    assertThat(second).isNotDone();
    time.advance(1);
    assertThat(second).isDone();
  }

  @Test
  void anIdleBudgetSavesNoCreditForLater() {
    ShapedServing s = shaped(1000, 0);
    s.headers(headers(100));
    time.advance(10_000 * MS);
    CompletableFuture<Serving.Answer> later = s.bodies(new EthMessages.HashesRequest(2, hashes()));
    time.advance(3 * MS - 1);
    assertThat(later).isNotDone();
    time.advance(1);
    assertThat(later.join().items()).isEqualTo(3);
  }

  @Test
  void withoutARateOnlyTheLatencyIsAdded() {
    ShapedServing s = shaped(0, 800);
    CompletableFuture<Serving.Answer> a =
        s.receipts(69, new EthMessages.HashesRequest(3, hashes()));
    time.advance(800 * MS - 1);
    assertThat(a).isNotDone();
    time.advance(1);
    assertThat(a).isDone();
  }

  @Test
  void noShapingAnswersAtOnce() {
    assertThat(shaped(0, 0).headers(headers(10))).isDone();
  }

  static java.util.List<io.peerflow.chain.Hash> hashes() {
    return java.util.List.of(
        CHAIN.block(1).header().hash(),
        CHAIN.block(2).header().hash(),
        CHAIN.block(3).header().hash());
  }
}
