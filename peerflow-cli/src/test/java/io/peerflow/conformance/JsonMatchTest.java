package io.peerflow.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonMatchTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static boolean matches(String expected, String got) throws Exception {
    JsonNode e = JSON.readTree(expected);
    JsonNode g = JSON.readTree(got);
    return JsonMatch.matches(e, g);
  }

  @Test
  void integersMatchExactly() throws Exception {
    assertThat(matches("9110573590051220681", "9110573590051220681")).isTrue();
    assertThat(matches("9110573590051220681", "9110573590051220680")).isFalse();
  }

  @Test
  void doublesMatchToOneBillionthRelative() throws Exception {
    assertThat(matches("38603076655933336", "3.8603076655933336E16")).isTrue();
    assertThat(matches("1.0", "1.0000000009")).isTrue();
    assertThat(matches("1.0", "1.000000002")).isFalse();
    assertThat(matches("0.0", "0.0")).isTrue();
    assertThat(matches("0.0", "1e-300")).isFalse();
  }

  @Test
  void stringsBooleansAndNullsMatchExactly() throws Exception {
    assertThat(matches("\"ok\"", "\"ok\"")).isTrue();
    assertThat(matches("\"ok\"", "\"already fetching\"")).isFalse();
    assertThat(matches("true", "false")).isFalse();
    assertThat(matches("{\"error\":null}", "{\"error\":null}")).isTrue();
    assertThat(matches("{\"error\":null}", "{\"error\":\"not registered\"}")).isFalse();
  }

  @Test
  void objectsNeedTheSameKeysAndArraysTheSameOrder() throws Exception {
    assertThat(matches("{\"4\":1.0,\"6\":2.0}", "{\"6\":2.0,\"4\":1.0}")).isTrue();
    assertThat(matches("{\"4\":1.0}", "{\"4\":1.0,\"6\":2.0}")).isFalse();
    assertThat(matches("{\"4\":1.0,\"6\":2.0}", "{\"4\":1.0,\"16\":2.0}")).isFalse();
    assertThat(matches("[1,2]", "[2,1]")).isFalse();
    assertThat(matches("[1,2]", "[1,2,3]")).isFalse();
    assertThat(matches("1", "\"1\"")).isFalse();
  }
}
