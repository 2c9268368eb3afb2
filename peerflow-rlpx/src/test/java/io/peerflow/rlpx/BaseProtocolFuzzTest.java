package io.peerflow.rlpx;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.peerflow.testkit.FuzzCorpus;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the lenient Disconnect decoder, {@link BaseProtocol#decodeDisconnect}: it never throws,
 * whatever the payload, and answers a code or -1; a reason it recognises round-trips through our
 * own encoding.
 */
class BaseProtocolFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void decodesAnyDisconnectToAReasonCodeOrMinusOne(byte[] payload) {
    long code = BaseProtocol.decodeDisconnect(payload);
    assertThat(code).isGreaterThanOrEqualTo(-1);
    DisconnectReason reason = DisconnectReason.fromCode(code);
    if (reason != DisconnectReason.UNKNOWN) {
      assertThat(reason.code()).isEqualTo(code);
      assertThat(BaseProtocol.decodeDisconnect(BaseProtocol.encodeDisconnect(reason)))
          .isEqualTo(code);
    }
  }

  @Test
  void committedCorpusHoldsTheSeeds() {
    FuzzCorpus.checkSeeds(
        BaseProtocolFuzzTest.class, "decodesAnyDisconnectToAReasonCodeOrMinusOne", seeds());
  }

  static Map<String, byte[]> seeds() {
    HexFormat hex = HexFormat.of();
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    seeds.put("too-many-peers", BaseProtocol.encodeDisconnect(DisconnectReason.TOO_MANY_PEERS));
    seeds.put(
        "subprotocol-error", BaseProtocol.encodeDisconnect(DisconnectReason.SUBPROTOCOL_ERROR));
    seeds.put("bare-integer", hex.parseHex("04"));
    seeds.put("empty-list", hex.parseHex("c0"));
    seeds.put("unknown-code", hex.parseHex("c120"));
    seeds.put("string-not-integer", hex.parseHex("c3820001"));
    return seeds;
  }
}
