package io.peerflow.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceReplayerTest {

  @TempDir Path dir;

  private TraceResult replay(String... lines) throws IOException {
    Path file = dir.resolve("t.jsonl");
    Files.writeString(file, String.join("\n", lines) + "\n");
    return new TraceReplayer().replay(file, "t.jsonl");
  }

  @Test
  void matchingLinesPassIncludingOpsThatReturnNothing() throws IOException {
    TraceResult r =
        replay(
            "{\"op\":\"register\",\"id\":\"a\",\"version\":66,\"expect\":{\"error\":null}}",
            "{\"op\":\"advance\",\"ns\":5}",
            "{\"op\":\"median\",\"expect\":20000000000}",
            "{\"op\":\"targetTimeout\",\"expect\":60000000000}",
            "{\"op\":\"register\",\"id\":\"a\",\"version\":66,\"expect\":{\"error\":\"already"
                + " registered\"}}");
    assertThat(r.failed()).isZero();
    assertThat(r.passed()).isEqualTo(5);
  }

  @Test
  void aWrongResultIsReportedWithFileLineOpExpectedAndGot() throws IOException {
    TraceResult r =
        replay(
            "{\"op\":\"median\",\"expect\":20000000000}",
            "{\"op\":\"median\",\"expect\":19999999999}");
    assertThat(r.passed()).isEqualTo(1);
    assertThat(r.mismatches())
        .containsExactly(new Mismatch("t.jsonl", 2, "median", "19999999999", "20000000000"));
    assertThat(r.mismatches().get(0))
        .hasToString("t.jsonl:2: median: expected 19999999999, got 20000000000");
  }

  @Test
  void fetchReportsOkAlreadyFetchingAndNotRegistered() throws IOException {
    TraceResult r =
        replay(
            "{\"op\":\"fetch\",\"id\":\"a\",\"kind\":4,\"expect\":\"not registered\"}",
            "{\"op\":\"register\",\"id\":\"a\",\"version\":66,\"expect\":{\"error\":null}}",
            "{\"op\":\"fetch\",\"id\":\"a\",\"kind\":4,\"expect\":\"ok\"}",
            "{\"op\":\"fetch\",\"id\":\"a\",\"kind\":4,\"expect\":\"already fetching\"}",
            "{\"op\":\"advance\",\"ns\":1000000000}",
            "{\"op\":\"deliver\",\"id\":\"a\",\"kind\":4,\"items\":10}",
            "{\"op\":\"fetch\",\"id\":\"a\",\"kind\":4,\"expect\":\"ok\"}",
            "{\"op\":\"capacity\",\"id\":\"a\",\"kind\":4,\"rtt\":1000000000,\"expect\":3}",
            "{\"op\":\"capacity\",\"id\":\"ghost\",\"kind\":4,\"rtt\":1000000000,\"expect\":1}");
    assertThat(r.mismatches()).isEmpty();
  }

  @Test
  void idleIdsAreComparedAsASortedSetButCapacitiesInOrder() throws IOException {
    String setUp =
        "{\"op\":\"register\",\"id\":\"b\",\"version\":66,\"expect\":{\"error\":null}}\n"
            + "{\"op\":\"register\",\"id\":\"a\",\"version\":66,\"expect\":{\"error\":null}}";
    TraceResult sameSet =
        replay(
            setUp,
            "{\"op\":\"idle\",\"kind\":4,\"minVersion\":66,\"maxVersion\":66,"
                + "\"expect\":{\"capacities\":[1,1],\"ids\":[\"b\",\"a\"],\"total\":2}}");
    assertThat(sameSet.mismatches()).isEmpty();
    TraceResult wrong =
        replay(
            setUp,
            "{\"op\":\"idle\",\"kind\":4,\"minVersion\":66,\"maxVersion\":66,"
                + "\"expect\":{\"capacities\":[1,1],\"ids\":[\"a\",\"c\"],\"total\":2}}");
    assertThat(wrong.failed()).isEqualTo(1);
  }

  @Test
  void meansMatchToARelativeErrorOfOneBillionth() throws IOException {
    String setUp =
        "{\"op\":\"register\",\"id\":\"a\",\"version\":66,\"expect\":{\"error\":null}}\n"
            + "{\"op\":\"update\",\"id\":\"a\",\"kind\":4,\"elapsed\":1000000000,\"items\":30}";
    assertThat(replay(setUp, "{\"op\":\"mean\",\"expect\":{\"4\":3.0000000000001}}").failed())
        .isZero();
    assertThat(replay(setUp, "{\"op\":\"mean\",\"expect\":{\"4\":3.00001}}").failed()).isEqualTo(1);
    assertThat(replay(setUp, "{\"op\":\"mean\",\"expect\":{\"4\":3.0,\"6\":0.0}}").failed())
        .isEqualTo(1);
  }

  @Test
  void unreadableLinesAndUnknownOpsFailButTheRestGoesOn() throws IOException {
    TraceResult r =
        replay(
            "not json",
            "{\"op\":\"teleport\"}",
            "{\"op\":\"lacks\",\"id\":\"ghost\",\"hash\":\"0x00\",\"expect\":false}",
            "{\"op\":\"median\",\"expect\":20000000000}");
    assertThat(r.failed()).isEqualTo(3);
    assertThat(r.passed()).isEqualTo(1);
    assertThat(r.mismatches().get(0).got()).startsWith("unreadable line");
    assertThat(r.mismatches().get(1).got()).isEqualTo("error: unknown op 'teleport'");
    assertThat(r.mismatches().get(2).got()).contains("not registered");
  }

  @Test
  void lackAndLacksRoundTrip() throws IOException {
    String h = "0x" + "0".repeat(62) + "1e";
    TraceResult r =
        replay(
            "{\"op\":\"register\",\"id\":\"a\",\"version\":66,\"expect\":{\"error\":null}}",
            "{\"op\":\"lacks\",\"id\":\"a\",\"hash\":\"" + h + "\",\"expect\":false}",
            "{\"op\":\"lack\",\"id\":\"a\",\"hash\":\"" + h + "\"}",
            "{\"op\":\"lacks\",\"id\":\"a\",\"hash\":\"" + h + "\",\"expect\":true}");
    assertThat(r.mismatches()).isEmpty();
  }
}
