package io.peerflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peerflow.chain.Hash;
import io.peerflow.cli.sync.ProgressView;
import io.peerflow.cli.sync.SyncReportWriter;
import io.peerflow.store.Part;
import io.peerflow.sync.PeerReport;
import io.peerflow.sync.SyncProgress;
import io.peerflow.sync.SyncReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class SyncReportTest {

  static final SyncReport REPORT =
      new SyncReport(
          1,
          100,
          100,
          Hash.fromHex("0x" + "ab".repeat(32)),
          2.0,
          Map.of(Part.HEADERS, 100L, Part.BODIES, 60L),
          List.of(
              new PeerReport(
                  "aa".repeat(64),
                  Map.of(Part.HEADERS, 70L, Part.BODIES, 40L),
                  12,
                  1,
                  null,
                  null,
                  Map.of(Part.HEADERS, 35.0)),
              new PeerReport(
                  "bb".repeat(64),
                  Map.of(Part.HEADERS, 30L, Part.BODIES, 20L),
                  9,
                  3,
                  "invalid delivery: x",
                  null,
                  Map.of()),
              new PeerReport(
                  "cc".repeat(64),
                  Map.of(Part.HEADERS, 0L),
                  2,
                  0,
                  null,
                  "disconnected: breach of protocol (frame MAC mismatch)",
                  Map.of())));

  @Test
  void theJsonReportHasEveryFieldScriptsRelyOn() {
    ObjectNode j = SyncReportWriter.json(REPORT, OptionalDouble.of(100), id -> "client");
    assertThat(j.get("from").asLong()).isEqualTo(1);
    assertThat(j.get("to").asLong()).isEqualTo(100);
    assertThat(j.get("blocks").asLong()).isEqualTo(100);
    assertThat(j.get("headHash").asText()).isEqualTo("0x" + "ab".repeat(32));
    assertThat(j.get("seconds").asDouble()).isEqualTo(2.0);
    assertThat(j.get("efficiency").asDouble()).isEqualTo(0.5);
    assertThat(j.get("peers")).hasSize(3);
    assertThat(j.get("peers").get(0).get("items").asLong()).isEqualTo(110);
    assertThat(j.get("peers").get(0).get("timeouts").asLong()).isEqualTo(1);
    assertThat(j.get("peers").get(0).get("dropped").isNull()).isTrue();
    assertThat(j.get("peers").get(1).get("dropped").asText()).startsWith("invalid delivery");
    assertThat(j.get("peers").get(0).has("left")).isFalse();
    assertThat(j.get("peers").get(2).get("dropped").isNull()).isTrue();
    assertThat(j.get("peers").get(2).get("left").asText()).contains("frame MAC mismatch");
  }

  @Test
  void theTextReportNamesTheHeadTheRateAndEveryPeer() {
    StringWriter s = new StringWriter();
    SyncReportWriter.print(
        new PrintWriter(s), REPORT, OptionalDouble.empty(), id -> id.substring(0, 8));
    assertThat(s.toString())
        .contains("Synced blocks #1..#100 (100 blocks) in 2.0 s: 50 blocks/s")
        .contains("aaaaaaaa")
        .contains("dropped: invalid delivery")
        .contains("left: disconnected: breach of protocol (frame MAC mismatch)")
        .doesNotContain("Efficiency");
  }

  @Test
  void theFetchedLineNamesThePartsInChainOrder() {
    StringWriter s = new StringWriter();
    SyncReportWriter.print(new PrintWriter(s), REPORT, OptionalDouble.empty(), id -> id);
    assertThat(s.toString()).contains("Fetched this run: headers 100 bodies 60");
  }

  @Test
  void aBarShowsTheFractionTheRateAndTheTimeLeft() {
    String bar = ProgressView.bar("bodies", 250, 1000, 50);
    assertThat(bar).contains("25.0%").contains("250/1,000").contains("ETA 0:15");
    assertThat(ProgressView.bar("bodies", 1000, 1000, 50)).contains("100.0%").contains("done");
  }

  @Test
  void aTerminalFrameRedrawsInPlaceWithThePeerTable() {
    StringWriter s = new StringWriter();
    ProgressView v = new ProgressView(new PrintWriter(s), true, id -> id);
    SyncProgress p =
        new SyncProgress(
            Map.of(Part.HEADERS, 100L),
            Map.of(Part.HEADERS, 10L),
            Map.of(Part.HEADERS, 0L),
            1_000_000_000L,
            List.of(
                new SyncProgress.LivePeer(
                    "peer-a", Map.of(Part.HEADERS, 192), 45.0, 10, 0, null, null)));
    v.render(p);
    v.render(p);
    assertThat(s.toString()).contains("peer-a").contains("192").contains("\u001b[3F");
  }
}
