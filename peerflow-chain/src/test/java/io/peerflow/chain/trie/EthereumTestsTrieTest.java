package io.peerflow.chain.trie;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerflow.chain.Hash;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Trie roots against the shared ethereum/tests TrieTests (see the resources' README). */
class EthereumTestsTrieTest {

  static Stream<Arguments> cases() throws Exception {
    Stream.Builder<Arguments> out = Stream.builder();
    for (String file : List.of("trieanyorder.json", "trietest.json")) {
      try (InputStream in =
          EthereumTestsTrieTest.class.getResourceAsStream("/ethereum-tests/" + file)) {
        JsonNode root = new ObjectMapper().readTree(in);
        for (Map.Entry<String, JsonNode> e : root.properties()) {
          out.add(
              Arguments.of(
                  file + ":" + e.getKey(),
                  e.getValue().get("in"),
                  e.getValue().get("root").asText()));
        }
      }
    }
    return out.build();
  }

  static String key(String s) {
    return s.startsWith("0x")
        ? s.substring(2)
        : HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theRootOfTheFinalContentsIsTheReferenceRoot(String name, JsonNode in, String root) {
    // Updates apply in order; a null value deletes. The root depends only on what remains.
    Map<String, String> contents = new LinkedHashMap<>();
    if (in.isObject()) {
      in.properties()
          .forEach(
              e ->
                  contents.put(
                      key(e.getKey()), e.getValue().isNull() ? null : key(e.getValue().asText())));
    } else {
      in.forEach(
          pair ->
              contents.put(
                  key(pair.get(0).asText()),
                  pair.get(1).isNull() ? null : key(pair.get(1).asText())));
    }
    List<byte[]> keys = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    contents.forEach(
        (k, v) -> {
          if (v != null && !v.isEmpty()) {
            keys.add(HexFormat.of().parseHex(k));
            values.add(HexFormat.of().parseHex(v));
          }
        });
    assertThat(TrieRoot.of(keys, values)).isEqualTo(Hash.fromHex(root));
  }
}
