package io.peerflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchIngestCommandTest {

  @TempDir Path dir;

  @Test
  void aServingCopyLinksTableFilesAndCopiesTheRest() throws Exception {
    Path from = dir.resolve("from");
    Files.createDirectories(from.resolve("chain"));
    Files.writeString(from.resolve("genesis.json"), "{}");
    Files.writeString(from.resolve("chain/000009.sst"), "table");
    Files.writeString(from.resolve("chain/MANIFEST-000001"), "manifest");
    Path to = dir.resolve("to");

    BenchIngestCommand.linkCopy(from, to);

    assertThat(to.resolve("genesis.json")).hasContent("{}");
    assertThat(to.resolve("chain/000009.sst")).hasContent("table");
    assertThat(Files.isSameFile(to.resolve("chain/000009.sst"), from.resolve("chain/000009.sst")))
        .isTrue();
    assertThat(to.resolve("chain/MANIFEST-000001")).hasContent("manifest");
    Files.writeString(to.resolve("chain/MANIFEST-000001"), "changed");
    assertThat(from.resolve("chain/MANIFEST-000001")).hasContent("manifest");
  }

  @Test
  void noPeersIsACleanOneLineError() {
    StringWriter err = new StringWriter();
    int code =
        Peerflow.commandLine()
            .setErr(new PrintWriter(err))
            .execute("bench", "ingest", "--peers", "0");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("--peers, --blocks and --txs must be at least 1")
        .hasLineCount(1);
  }

  @Test
  void aProgressLineGivesTheFetchedShareOfBodiesAndReceipts() {
    assertThat(
            BenchIngestCommand.fraction(
                "[ 10.0s] headers 3915/6000 (261/s) bodies 2400/6000 (328/s)"
                    + " receipts 1200/6000 (270/s) peers 4"))
        .isEqualTo(0.3);
    assertThat(BenchIngestCommand.fraction("Synced blocks #1..#6000")).isEqualTo(-1);
  }

  @Test
  void theSteadyStateStartsAtAQuarterAndCountsOnlyTheCpuAfterIt() {
    var samples =
        java.util.List.of(
            new BenchIngestCommand.Sample(0.1, 5_000_000_000L, 1_000_000_000L),
            new BenchIngestCommand.Sample(0.3, 8_000_000_000L, 2_000_000_000L),
            new BenchIngestCommand.Sample(0.8, 18_000_000_000L, 4_000_000_000L));
    BenchIngestCommand.Steady s = BenchIngestCommand.Steady.of(samples, 2.0);
    assertThat(s.from()).isEqualTo(0.3);
    assertThat(s.to()).isEqualTo(0.8);
    // 10 CPU-s over half of 2 GB.
    assertThat(s.syncCpuPerGb()).isCloseTo(10.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(s.serveCpuPerGb()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aRunThatNeverGetsPastAQuarterOrSpansTooLittleHasNoSteadyState() {
    assertThat(
            BenchIngestCommand.Steady.of(
                java.util.List.of(new BenchIngestCommand.Sample(0.2, 1, 1)), 1.0))
        .isNull();
    assertThat(
            BenchIngestCommand.Steady.of(
                java.util.List.of(
                    new BenchIngestCommand.Sample(0.3, 1, 1),
                    new BenchIngestCommand.Sample(0.4, 2, 2)),
                1.0))
        .isNull();
  }
}
