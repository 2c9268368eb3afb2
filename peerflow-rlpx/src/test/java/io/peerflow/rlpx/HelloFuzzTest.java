package io.peerflow.rlpx;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.peerflow.rlp.RlpException;
import io.peerflow.testkit.FuzzCorpus;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@link Hello#decode} and what a session does next with a Hello, negotiating capabilities:
 * a payload is decoded or refused with an {@link RlpException}, never anything else, and a decoded
 * Hello encodes to one that decodes to the same fields.
 */
class HelloFuzzTest {

  private static final List<Capability> LOCAL =
      List.of(new Capability("eth", 68, 17), new Capability("eth", 69, 18));

  @FuzzTest(maxDuration = "60s")
  void decodesAnyHelloOrRefusesIt(byte[] payload) {
    Hello hello;
    try {
      hello = Hello.decode(payload);
    } catch (RlpException refused) {
      return;
    }
    Hello again = Hello.decode(hello.encode());
    assertThat(again.protocolVersion()).isEqualTo(hello.protocolVersion());
    assertThat(again.clientId()).isEqualTo(hello.clientId());
    assertThat(again.capabilities()).isEqualTo(hello.capabilities());
    assertThat(again.listenPort()).isEqualTo(hello.listenPort());
    assertThat(again.nodeId()).isEqualTo(hello.nodeId());
    for (CapabilityNegotiation.Shared s :
        CapabilityNegotiation.negotiate(LOCAL, hello.capabilities())) {
      assertThat(LOCAL).contains(s.capability());
    }
  }

  @Test
  void committedCorpusHoldsTheSeeds() {
    FuzzCorpus.checkSeeds(HelloFuzzTest.class, "decodesAnyHelloOrRefusesIt", seeds());
  }

  static Map<String, byte[]> seeds() {
    byte[] id = VectorSession.KEY_A.id().bytes();
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    seeds.put(
        "peerflow",
        new Hello(
                5,
                "peerflow/0.1.0",
                List.of(new Hello.Cap("eth", 68), new Hello.Cap("eth", 69)),
                0,
                id)
            .encode());
    seeds.put(
        "geth-like",
        new Hello(
                5,
                "Geth/v1.17.10-stable/linux-amd64/go1.26",
                List.of(
                    new Hello.Cap("eth", 68), new Hello.Cap("eth", 69), new Hello.Cap("snap", 1)),
                30303,
                id)
            .encode());
    // EIP-8's Hello: version 55, extra fields in the list and in a capability.
    seeds.put("eip8-forward-compatible", Eip8Vectors.get("hello"));
    seeds.put("no-capabilities", new Hello(5, "", List.of(), 0, id).encode());
    seeds.put("short-node-id", HexFormat.of().parseHex("c80580c0808300aabb"));
    return seeds;
  }
}
