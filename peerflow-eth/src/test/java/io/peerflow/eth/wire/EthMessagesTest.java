package io.peerflow.eth.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerflow.chain.Hash;
import io.peerflow.eth.forkid.ForkId;
import io.peerflow.rlp.RlpException;
import io.peerflow.rlp.RlpWriter;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class EthMessagesTest {

  static final Hash H = Hash.fromHex("0x" + "11".repeat(32));
  static final Hash G = Hash.fromHex("0x" + "22".repeat(32));

  @Test
  void statusRoundTripsInBothVersionsForms() {
    Status s68 =
        new Status(
            68,
            1,
            BigInteger.valueOf(17_000_000_000_000_000L),
            H,
            G,
            new ForkId(0xfc64ec04, 1_150_000),
            0,
            -1);
    assertThat(Status.decode(68, s68.encode())).isEqualTo(s68);
    Status s69 =
        new Status(69, 1, BigInteger.ZERO, H, G, new ForkId(0x07c9462e, 0), 100, 23_000_000);
    assertThat(Status.decode(69, s69.encode())).isEqualTo(s69);
  }

  @Test
  void anEth69StatusWithAnEmptyBlockRangeIsRefused() {
    Status bad = new Status(69, 1, BigInteger.ZERO, H, G, new ForkId(1, 0), 10, 5);
    assertThatThrownBy(() -> Status.decode(69, bad.encode())).isInstanceOf(RlpException.class);
  }

  @Property
  void headerRequestsRoundTripByNumber(
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long origin,
      @ForAll @LongRange(min = 0, max = 1 << 20) long amount,
      @ForAll @LongRange(min = 0, max = 1 << 20) long skip,
      @ForAll boolean reverse,
      @ForAll long id) {
    var q = new EthMessages.HeadersRequest(id, null, origin, amount, skip, reverse);
    assertThat(EthMessages.HeadersRequest.decode(q.encode())).isEqualTo(q);
  }

  @Test
  void uint64NumbersBeyondTheSignedRangeSaturateInsteadOfFailing() {
    // go-ethereum's request for block 2^64-1, with request id 2^64-1 as its random ids may be.
    byte[] payload =
        new RlpWriter()
            .startList()
            .writeUint64(-1L)
            .startList()
            .writeUint64(-1L)
            .writeUint64(-1L)
            .writeUint64(-1L)
            .writeLong(0)
            .endList()
            .endList()
            .toByteArray();
    var q = EthMessages.HeadersRequest.decode(payload);
    assertThat(q.id()).isEqualTo(-1L);
    assertThat(q.originNumber()).isEqualTo(Long.MAX_VALUE);
    assertThat(q.amount()).isEqualTo(Long.MAX_VALUE);
    assertThat(q.skip()).isEqualTo(Long.MAX_VALUE);
    assertThat(EthMessages.requestId(EthMessages.blockHeaders(q.id(), List.of()))).isEqualTo(-1L);
  }

  @Test
  void headerRequestsRoundTripByHash() {
    var q = new EthMessages.HeadersRequest(5, H, 0, 192, 0, true);
    assertThat(EthMessages.HeadersRequest.decode(q.encode())).isEqualTo(q);
  }

  @Test
  void hashRequestsAreReadUpToTheServingLimit() {
    var q = new EthMessages.HashesRequest(9, List.of(H, G, H));
    assertThat(EthMessages.HashesRequest.decode(q.encode(), 2).hashes()).containsExactly(H, G);
    assertThat(EthMessages.requestId(q.encode())).isEqualTo(9);
  }

  @Test
  void blockRangeUpdatesRoundTrip() {
    var b = new EthMessages.BlockRange(0, 42, H);
    assertThat(EthMessages.BlockRange.decode(b.encode())).isEqualTo(b);
  }

  @Test
  void theMessageSpaceGrowsByBlockRangeUpdateInEth69() {
    assertThat(EthMessages.messageSpace(68)).isEqualTo(17);
    assertThat(EthMessages.messageSpace(69)).isEqualTo(18);
  }
}
