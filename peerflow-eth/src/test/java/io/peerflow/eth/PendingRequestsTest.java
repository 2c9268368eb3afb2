package io.peerflow.eth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerflow.chain.response.HeadersResponse;
import io.peerflow.eth.wire.EthMessages;
import io.peerflow.peers.Response;
import io.peerflow.rlp.RlpException;
import io.peerflow.time.VirtualTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PendingRequestsTest {

  static final long TIMEOUT = Duration.ofSeconds(150).toNanos();
  final VirtualTime time = new VirtualTime();
  final PendingRequests requests = new PendingRequests(time, TIMEOUT, "peer-a");

  static final Function<byte[], Response> HEADERS =
      p -> new HeadersResponse(EthMessages.decodeBlockHeaders(p, 1).items());

  static byte[] noHeaders(long id) {
    return EthMessages.blockHeaders(id, List.of());
  }

  @Test
  void anAnswerCompletesTheRequestWithItsIdAndNoOther() {
    PendingRequests.Opened a = requests.open(EthMessages.BLOCK_HEADERS, HEADERS);
    PendingRequests.Opened b = requests.open(EthMessages.BLOCK_HEADERS, HEADERS);
    assertThat(a.id()).isNotEqualTo(b.id());
    assertThat(requests.answer(EthMessages.BLOCK_HEADERS, b.id(), noHeaders(b.id()))).isEmpty();
    assertThat(b.future().join().itemCount()).isZero();
    assertThat(a.future()).isNotDone();
    assertThat(requests.size()).isEqualTo(1);
  }

  @Test
  void aRequestUnansweredUntilItsDeadlineFailsThenAndNotBefore() {
    PendingRequests.Opened a = requests.open(EthMessages.BLOCK_HEADERS, HEADERS);
    time.advance(TIMEOUT - 1);
    assertThat(a.future()).isNotDone();
    time.advance(1);
    assertThatThrownBy(a.future()::join)
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(EthException.class)
        .hasMessageContaining("no answer from peer-a within 150 s");
    assertThat(requests.size()).isZero();
  }

  @Test
  void anAnswerAfterTheDeadlineIsUnsolicited() {
    PendingRequests.Opened a = requests.open(EthMessages.BLOCK_HEADERS, HEADERS);
    time.advance(TIMEOUT);
    assertThat(requests.answer(EthMessages.BLOCK_HEADERS, a.id(), noHeaders(a.id())))
        .contains("unsolicited answer 0x4 with request id " + a.id());
  }

  @Test
  void anAnsweredRequestNeverTimesOut() {
    PendingRequests.Opened a = requests.open(EthMessages.BLOCK_HEADERS, HEADERS);
    requests.answer(EthMessages.BLOCK_HEADERS, a.id(), noHeaders(a.id()));
    time.advance(2 * TIMEOUT);
    assertThat(a.future()).isCompleted();
    assertThat(a.future().join().itemCount()).isZero();
  }

  @Test
  void anAnswerOfTheWrongKindFailsTheRequestAndIsABreach() {
    PendingRequests.Opened a = requests.open(EthMessages.BLOCK_HEADERS, HEADERS);
    assertThat(
            requests.answer(
                EthMessages.BLOCK_BODIES, a.id(), EthMessages.blockBodies(a.id(), List.of())))
        .contains("answer 0x6 to a request expecting 0x4");
    assertThat(a.future()).isCompletedExceptionally();
  }

  @Test
  void anAnswerTheDecoderRejectsFailsTheRequestAndRethrows() {
    PendingRequests.Opened a = requests.open(EthMessages.BLOCK_HEADERS, HEADERS);
    byte[] bad = noHeaders(a.id());
    byte[] cut = java.util.Arrays.copyOf(bad, bad.length - 1);
    assertThatThrownBy(() -> requests.answer(EthMessages.BLOCK_HEADERS, a.id(), cut))
        .isInstanceOf(RlpException.class);
    assertThatThrownBy(a.future()::join).hasMessageContaining("malformed answer");
  }

  @Test
  void failAllFailsEveryPendingRequestWithTheGivenReason() {
    PendingRequests.Opened a = requests.open(EthMessages.BLOCK_HEADERS, HEADERS);
    PendingRequests.Opened b = requests.open(EthMessages.BLOCK_HEADERS, HEADERS);
    requests.failAll(new EthException("disconnected: too many peers"));
    for (PendingRequests.Opened o : List.of(a, b)) {
      assertThatThrownBy(o.future()::join).hasMessageContaining("disconnected: too many peers");
    }
    assertThat(requests.size()).isZero();
  }
}
