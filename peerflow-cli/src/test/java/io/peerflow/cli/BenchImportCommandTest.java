package io.peerflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchImportCommandTest {

  @Test
  void reportsBlocksPerSecondAndCpuSecondsPerGigabyteForPeerflow() {
    SyncEndToEndTest.Result r =
        SyncEndToEndTest.cli(
            "bench",
            "import",
            "--no-geth",
            "--era",
            ExportCommandTest.history().resolve(ExportCommandTest.MAINNET).toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("Importing 1 era1 file(s), 3.9 MB, mainnet network")
        .containsPattern("peerflow import --era +[0-9.]+ +[0-9,]+ +[0-9.]+ +[0-9,]+");
  }
}
