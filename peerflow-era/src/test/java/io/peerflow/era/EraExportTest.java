package io.peerflow.era;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerflow.chain.block.Block;
import io.peerflow.chain.config.ChainConfig;
import io.peerflow.rlp.RlpReader;
import io.peerflow.store.ChainStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EraExportTest {

  @TempDir Path tmp;
  ChainStore store;

  @BeforeEach
  void importMainnet() {
    store = ChainStore.open(tmp.resolve("db"));
    EraImportTest.mainnetImport(store).run(HistoryFiles.mainnet(), line -> {});
  }

  @org.junit.jupiter.api.AfterEach
  void close() {
    store.close();
  }

  static void assertSameBlocks(ChainStore a, ChainStore b, long from, long to) {
    for (long n = from; n <= to; n++) {
      assertThat(b.canonicalHash(n)).as("#%d", n).isEqualTo(a.canonicalHash(n));
      assertThat(b.header(n).orElseThrow())
          .as("header #%d", n)
          .isEqualTo(a.header(n).orElseThrow());
      assertThat(b.body(n).orElseThrow()).as("body #%d", n).isEqualTo(a.body(n).orElseThrow());
      assertThat(b.receipts(n).orElseThrow())
          .as("receipts #%d", n)
          .isEqualTo(a.receipts(n).orElseThrow());
    }
  }

  @Test
  void theImportedMainnetEpochExportsToAFileOfTheSameNameAndAccumulator() throws IOException {
    Path out = tmp.resolve("out");
    List<Path> files = new EraExport(store, "mainnet").run(EraExport.Format.AUTO, 0, 8191, out);
    assertThat(files)
        .singleElement()
        .satisfies(f -> assertThat(f.getFileName().toString()).isEqualTo(HistoryFiles.MAINNET));
    try (EraArchive ours = EraArchive.open(files.get(0));
        EraArchive published = EraArchive.open(HistoryFiles.mainnet())) {
      assertThat(ours.accumulatorRecord()).isEqualTo(published.accumulatorRecord());
      for (long n = 0; n < 8192; n += 97) {
        assertThat(ours.headerRlp(n)).isEqualTo(published.headerRlp(n));
        assertThat(ours.bodyRlp(n)).isEqualTo(published.bodyRlp(n));
        assertThat(ours.totalDifficulty(n)).isEqualTo(published.totalDifficulty(n));
      }
    }
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(files.get(0))))
        .isEqualTo("rw-r--r--");
    assertThat(Files.readString(out.resolve(Checksums.FILE_NAME)).strip())
        .isEqualTo("0x" + Checksums.sha256(files.get(0)));
    // Re-import into a fresh store gives the same blocks.
    try (ChainStore again = ChainStore.open(tmp.resolve("again"))) {
      EraImportTest.mainnetImport(again).run(out, line -> {});
      assertSameBlocks(store, again, 0, 8191);
      assertThat(again.totalDifficulty(8191)).isEqualTo(store.totalDifficulty(8191));
    }
  }

  @Test
  void anEreExportOfAPreMergeEpochCarriesDifficultiesAndReimportsToTheSameBlocks()
      throws IOException {
    Path out = tmp.resolve("ere");
    List<Path> files = new EraExport(store, "mainnet").run(EraExport.Format.ERE, 0, 8191, out);
    String hash8191 = store.canonicalHash(8191).orElseThrow().toHex().substring(2, 10);
    assertThat(files)
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.getFileName().toString())
                    .isEqualTo("mainnet-00000-" + hash8191 + "-noproofs.ere"));
    try (EraArchive ere = EraArchive.open(files.get(0))) {
      assertThat(ere.hasTotalDifficulty()).isTrue();
      assertThat(ere.accumulatorRecord().orElseThrow().toHex()).startsWith("0x5ec1ffb8");
    }
    try (ChainStore again = ChainStore.open(tmp.resolve("again"))) {
      EraImportTest.mainnetImport(again).run(out, line -> {});
      assertSameBlocks(store, again, 0, 8191);
      assertThat(again.totalDifficulty(8191)).isEqualTo(store.totalDifficulty(8191));
    }
  }

  @Test
  void anRlpExportHoldsEveryBlockOfTheRange() throws IOException {
    Path file =
        new EraExport(store, "mainnet")
            .run(EraExport.Format.RLP, 10, 20, tmp.resolve("rlp"))
            .get(0);
    RlpReader in = new RlpReader(Files.readAllBytes(file));
    for (long n = 10; n <= 20; n++) {
      Block b = Block.read(in);
      assertThat(b.header().hash()).isEqualTo(store.canonicalHash(n).orElseThrow());
    }
    assertThat(in.hasNext()).isFalse();
  }

  @Test
  void aRangeNotStartingAnEpochIsRefusedForEraFiles() {
    assertThatThrownBy(
            () -> new EraExport(store, "mainnet").run(EraExport.Format.ERA1, 5, 8191, tmp))
        .hasMessageContaining("--from must be a multiple of 8192, not 5");
    assertThatThrownBy(
            () -> new EraExport(store, "mainnet").run(EraExport.Format.ERA1, 0, 100, tmp))
        .hasMessageContaining("--to must end one");
    assertThatThrownBy(
            () -> new EraExport(store, "mainnet").run(EraExport.Format.ERA1, 0, 9000, tmp))
        .hasMessageContaining("block #9000 is not stored");
  }

  @Test
  void totalDifficultyIsSummedFromGenesisWhenTheStoreLacksIt() throws IOException {
    try (ChainStore bare = ChainStore.open(tmp.resolve("bare"))) {
      try (io.peerflow.store.WriteBatch b = bare.batch()) {
        for (long n = 0; n < 8192; n++) {
          io.peerflow.chain.Hash h = store.canonicalHash(n).orElseThrow();
          b.putHeader(n, h, store.header(n).orElseThrow());
          b.putBody(n, h, store.body(n).orElseThrow());
          b.putReceipts(n, h, store.receipts(n).orElseThrow());
        }
        b.commit();
      }
      assertThat(bare.totalDifficulty(8191)).isEmpty();
      Path file =
          new EraExport(bare, "mainnet")
              .run(EraExport.Format.ERA1, 0, 8191, tmp.resolve("summed"))
              .get(0);
      assertThat(file.getFileName().toString()).isEqualTo(HistoryFiles.MAINNET);
      assertThat(ChainConfig.MAINNET.name()).isEqualTo("mainnet");
    }
  }
}
