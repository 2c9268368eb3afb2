package io.peerflow.eth;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.eth.forkid.ForkId;
import io.peerflow.eth.forkid.ForkSchedule;
import io.peerflow.eth.wire.Status;
import io.peerflow.rlpx.DisconnectReason;
import io.peerflow.testchain.MemoryChain;
import io.peerflow.time.VirtualTime;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusExchangeTest {

  static final MemoryChain CHAIN = MemoryChain.generate(4251, 10, 0, 0);
  static final ForkSchedule FORKS = ForkSchedule.of(CHAIN.config());
  static final BlockHeader HEAD = CHAIN.head();

  static Status status(int version, long networkId, Hash genesis, ForkId forkId) {
    return new Status(
        version, networkId, BigInteger.ZERO, HEAD.hash(), genesis, forkId, 0, HEAD.number());
  }

  static final Status OURS =
      status(
          69,
          CHAIN.config().networkId(),
          CHAIN.config().genesisHash(),
          FORKS.forkId(HEAD.number(), HEAD.timestamp()));

  static Optional<StatusExchange.Refusal> judge(Status theirs) {
    return StatusExchange.judge(69, theirs, OURS, "test", FORKS, HEAD);
  }

  @Test
  void aPeerOnOurChainIsAccepted() {
    assertThat(judge(OURS)).isEmpty();
  }

  @Test
  void aStatusOfAnotherVersionThanTheConnectionsIsAProtocolError() {
    Status s = status(68, OURS.networkId(), OURS.genesis(), OURS.forkId());
    assertThat(judge(s))
        .contains(
            new StatusExchange.Refusal(
                DisconnectReason.PROTOCOL_ERROR, "Status says eth/68 on an eth/69 connection"));
  }

  @Test
  void anotherNetworkIsRefusedNamingBothIds() {
    Status s = status(69, 1, OURS.genesis(), OURS.forkId());
    assertThat(judge(s).orElseThrow().reason()).isEqualTo(DisconnectReason.USELESS_PEER);
    assertThat(judge(s).orElseThrow().why())
        .isEqualTo("network mismatch: peer is on network 1, we are on 4251 (test)");
  }

  @Test
  void anotherGenesisIsRefusedNamingBothHashes() {
    Hash other = Hash.fromHex("0x" + "11".repeat(32));
    String why = judge(status(69, OURS.networkId(), other, OURS.forkId())).orElseThrow().why();
    assertThat(why).startsWith("genesis mismatch").contains(other.toHex(), OURS.genesis().toHex());
  }

  @Test
  void aForkIdOfAnotherChainIsRefused() {
    Status s = status(69, OURS.networkId(), OURS.genesis(), new ForkId(0x12345678, 0));
    assertThat(judge(s).orElseThrow().why()).startsWith("fork id rejected: ");
  }

  @Test
  void noStatusWithinTheDeadlineRefusesThePeerAtTheDeadlineAndNotBefore() {
    VirtualTime time = new VirtualTime();
    List<StatusExchange.Refusal> refused = new ArrayList<>();
    new StatusExchange(time, Duration.ofSeconds(10), refused::add);
    time.advance(Duration.ofSeconds(10).toNanos() - 1);
    assertThat(refused).isEmpty();
    time.advance(1);
    assertThat(refused)
        .containsExactly(
            new StatusExchange.Refusal(DisconnectReason.PING_TIMEOUT, "no Status within 10 s"));
  }

  @Test
  void aStoppedExchangeNeverTimesOut() {
    VirtualTime time = new VirtualTime();
    List<StatusExchange.Refusal> refused = new ArrayList<>();
    new StatusExchange(time, Duration.ofSeconds(10), refused::add).stop();
    time.advance(Duration.ofMinutes(5).toNanos());
    assertThat(refused).isEmpty();
  }
}
