package io.peerflow.rlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The RLP vectors every Ethereum client shares (ethereum/tests RLPTests; see the resources'
 * README).
 */
class EthereumTestsVectorsTest {

  static Stream<Arguments> load(String file) throws Exception {
    try (InputStream in =
        EthereumTestsVectorsTest.class.getResourceAsStream("/ethereum-tests/" + file)) {
      JsonNode root = new ObjectMapper().readTree(in);
      Stream.Builder<Arguments> out = Stream.builder();
      for (Map.Entry<String, JsonNode> e : root.properties()) {
        out.add(Arguments.of(e.getKey(), e.getValue().get("in"), e.getValue().get("out").asText()));
      }
      return out.build();
    }
  }

  static Stream<Arguments> valid() throws Exception {
    return load("rlptest.json");
  }

  static Stream<Arguments> invalid() throws Exception {
    return load("invalidRLPTest.json");
  }

  /**
   * The suite's conventions: "#" marks a big integer, "0x" hex bytes, other strings their
   * characters.
   */
  static void write(RlpWriter w, JsonNode in) {
    if (in.isArray()) {
      w.startList();
      in.forEach(x -> write(w, x));
      w.endList();
    } else if (in.isIntegralNumber()) {
      w.writeBigInteger(in.bigIntegerValue());
    } else {
      String s = in.asText();
      if (s.startsWith("#")) {
        w.writeBigInteger(new BigInteger(s.substring(1)));
      } else if (s.startsWith("0x")) {
        w.writeBytes(HexFormat.of().parseHex(s.substring(2)));
      } else {
        w.writeBytes(s.getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  /** Reads every item, nested lists included, as a client decoding unknown data would. */
  static void walk(RlpReader r) {
    while (r.hasNext()) {
      if (r.nextIsList()) {
        walk(r.readList());
      } else {
        r.readBytes();
      }
    }
  }

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.startsWith("0x") ? s.substring(2) : s);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void encodesAndReadsBackEveryValidVector(String name, JsonNode in, String out) {
    RlpWriter w = new RlpWriter();
    write(w, in);
    assertThat(HexFormat.of().formatHex(w.toByteArray())).isEqualTo(out.substring(2));
    RlpReader r = RlpReader.single(hex(out));
    walk(r);
    assertThat(new RlpReader(hex(out)).readRaw()).isEqualTo(hex(out));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void refusesEveryInvalidVector(String name, JsonNode in, String out) {
    assertThatThrownBy(() -> walk(RlpReader.single(hex(out)))).isInstanceOf(RlpException.class);
  }
}
