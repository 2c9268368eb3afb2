package io.peerflow.eth;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.time.VirtualTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ServingQueueTest {

  final VirtualTime time = new VirtualTime();
  final ArrayDeque<Runnable> turns = new ArrayDeque<>();
  final List<Integer> sent = new ArrayList<>();
  final List<String> refused = new ArrayList<>();
  final List<Boolean> refusedAsTimeout = new ArrayList<>();

  /** What the transport says of the next answers handed to it; written at once when empty. */
  final ArrayDeque<CompletableFuture<Void>> written = new ArrayDeque<>();

  ServingQueue queue(boolean writable) {
    return new ServingQueue(
        turns::add,
        time,
        writable,
        a -> {
          sent.add(a.items());
          return written.isEmpty() ? CompletableFuture.completedFuture(null) : written.poll();
        },
        (why, timeout) -> {
          refused.add(why);
          refusedAsTimeout.add(timeout);
        },
        LoggerFactory.getLogger(ServingQueueTest.class),
        "peer-a");
  }

  static CompletableFuture<Serving.Answer> answer(int items) {
    return CompletableFuture.completedFuture(new Serving.Answer(4, new byte[0], items));
  }

  void runTurns() {
    while (!turns.isEmpty()) {
      turns.poll().run();
    }
  }

  @Test
  void requestsAreAnsweredInOrderOnePerTurnWithOneTurnQueuedAtATime() {
    ServingQueue q = queue(true);
    for (int i = 1; i <= 3; i++) {
      int items = i;
      assertThat(q.offer(() -> answer(items))).isTrue();
    }
    assertThat(turns).hasSize(1);
    turns.poll().run();
    assertThat(sent).containsExactly(1);
    assertThat(turns).as("the connection goes to the back of the line").hasSize(1);
    runTurns();
    assertThat(sent).containsExactly(1, 2, 3);
    assertThat(q.size()).isZero();
  }

  @Test
  void nothingIsAnsweredWhileTheConnectionIsNotWritable() {
    ServingQueue q = queue(true);
    q.writable(false);
    q.offer(() -> answer(1));
    runTurns();
    assertThat(sent).isEmpty();
    q.writable(true);
    runTurns();
    assertThat(sent).containsExactly(1);
  }

  @Test
  void aTurnQueuedBeforeTheConnectionFilledUpWaitsForItToDrain() {
    ServingQueue q = queue(true);
    q.offer(() -> answer(1));
    q.writable(false);
    runTurns();
    assertThat(sent).isEmpty();
    assertThat(q.size()).isEqualTo(1);
    q.writable(true);
    runTurns();
    assertThat(sent).containsExactly(1);
  }

  @Test
  void atMostTwoAnswersAreWithTheTransportUnwrittenAndTheNextWaitsForOne() {
    ServingQueue q = queue(true);
    CompletableFuture<Void> first = new CompletableFuture<>();
    written.add(first);
    written.add(new CompletableFuture<>());
    for (int i = 1; i <= 3; i++) {
      int items = i;
      q.offer(() -> answer(items));
    }
    runTurns();
    assertThat(sent).containsExactly(1, 2);
    assertThat(q.size()).isEqualTo(3);
    first.complete(null);
    runTurns();
    assertThat(sent).containsExactly(1, 2, 3);
    assertThat(q.size()).isEqualTo(1);
  }

  @Test
  void oneRequestPastTheBoundRefusesThePeer() {
    ServingQueue q = queue(false);
    for (int i = 0; i < ServingQueue.MAX_REQUESTS; i++) {
      assertThat(q.offer(() -> answer(1))).isTrue();
    }
    assertThat(refused).isEmpty();
    assertThat(q.offer(() -> answer(1))).isFalse();
    assertThat(refused)
        .containsExactly(
            "more than 64 requests waiting for an answer; it asks faster than it reads");
    assertThat(refusedAsTimeout).containsExactly(false);
  }

  @Test
  void answersHeldBackByADecoratorCountAgainstTheBoundAndStillGoOutInOrder() {
    ServingQueue q = queue(true);
    CompletableFuture<Serving.Answer> slow = new CompletableFuture<>();
    q.offer(() -> slow);
    q.offer(() -> answer(2));
    runTurns();
    assertThat(sent).as("the second waits for the first").isEmpty();
    assertThat(q.size()).isEqualTo(2);
    slow.complete(new Serving.Answer(4, new byte[0], 1));
    assertThat(sent).containsExactly(1, 2);
    assertThat(q.size()).isZero();
  }

  @Test
  void aPeerThatReadsNothingForTheUnreadTimeoutIsRefusedThenAndNotBefore() {
    ServingQueue q = queue(true);
    q.writable(false);
    time.advance(ServingQueue.UNREAD_TIMEOUT_NANOS - 1);
    assertThat(refused).isEmpty();
    time.advance(1);
    assertThat(refused).containsExactly("read none of its answers for 20 s");
    assertThat(refusedAsTimeout).containsExactly(true);
  }

  @Test
  void readingInTimeResetsTheUnreadDeadline() {
    ServingQueue q = queue(true);
    q.writable(false);
    time.advance(ServingQueue.UNREAD_TIMEOUT_NANOS - 1);
    q.writable(true);
    q.writable(false);
    time.advance(ServingQueue.UNREAD_TIMEOUT_NANOS - 1);
    assertThat(refused).isEmpty();
  }

  @Test
  void closingDropsWhatIsHeldAndAnswersNothingMore() {
    ServingQueue q = queue(true);
    q.offer(() -> answer(1));
    q.offer(() -> answer(2));
    q.writable(false);
    q.close();
    assertThat(q.size()).isZero();
    q.writable(true);
    runTurns();
    assertThat(sent).isEmpty();
    time.advance(2 * ServingQueue.UNREAD_TIMEOUT_NANOS);
    assertThat(refused).isEmpty();
  }

  @Test
  void aComposerThatThrowsLosesThatAnswerOnlyAndTheNextStillGoesOut() {
    ServingQueue q = queue(true);
    q.offer(
        () -> {
          throw new IllegalStateException("store closed");
        });
    q.offer(() -> answer(2));
    runTurns();
    assertThat(sent).containsExactly(2);
    assertThat(q.size()).isZero();
  }
}
