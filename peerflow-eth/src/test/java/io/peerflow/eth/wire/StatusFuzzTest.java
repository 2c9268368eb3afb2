package io.peerflow.eth.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.peerflow.chain.Hash;
import io.peerflow.eth.forkid.ForkId;
import io.peerflow.rlp.RlpException;
import io.peerflow.testkit.FuzzCorpus;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@link Status#decode} in both forms: the first byte of the input picks the negotiated
 * version (even: eth/68, odd: eth/69), the rest is the payload. A Status is decoded or refused with
 * an {@link RlpException} (which the session turns into a breach of protocol); one that claims the
 * negotiated version, as the session requires, encodes to a Status that decodes to the same values.
 */
class StatusFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void decodesAnyStatusOrRefusesIt(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int version = (input[0] & 1) == 0 ? 68 : 69;
    Status s;
    try {
      s = Status.decode(version, Arrays.copyOfRange(input, 1, input.length));
    } catch (RlpException refused) {
      return;
    }
    if (s.version() == version) {
      assertThat(Status.decode(version, s.encode())).isEqualTo(s);
    }
  }

  @Test
  void committedCorpusHoldsTheSeeds() {
    FuzzCorpus.checkSeeds(StatusFuzzTest.class, "decodesAnyStatusOrRefusesIt", seeds());
  }

  static Map<String, byte[]> seeds() {
    Hash head = Hash.fromHex("0x" + "11".repeat(32));
    Hash genesis =
        Hash.fromHex("0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3");
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    seeds.put(
        "eth68-mainnet",
        withVersion(
            68,
            new Status(
                    68,
                    1,
                    new BigInteger("58750003716598352816469"),
                    head,
                    genesis,
                    new ForkId(0x07c9462e, 1_746_612_311L),
                    0,
                    -1)
                .encode()));
    seeds.put(
        "eth69-mainnet",
        withVersion(
            69,
            new Status(
                    69,
                    1,
                    BigInteger.ZERO,
                    head,
                    genesis,
                    new ForkId(0x07c9462e, 0),
                    15_537_394,
                    23_535_880)
                .encode()));
    seeds.put(
        "eth69-empty-range",
        withVersion(
            69,
            new Status(69, 1, BigInteger.ZERO, head, genesis, new ForkId(1, 0), 10, 5).encode()));
    seeds.put(
        "eth68-status-on-eth69",
        withVersion(
            69,
            new Status(68, 1, BigInteger.ONE, head, genesis, new ForkId(1, 0), 0, -1).encode()));
    return seeds;
  }

  private static byte[] withVersion(int version, byte[] payload) {
    byte[] out = new byte[payload.length + 1];
    out[0] = (byte) (version & 1);
    System.arraycopy(payload, 0, out, 1, payload.length);
    return out;
  }
}
