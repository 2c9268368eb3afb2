package io.peerflow.era;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.config.ChainConfig;
import io.peerflow.store.ChainStore;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EraImportTest {

  @TempDir Path tmp;

  static EraImport mainnetImport(ChainStore store) {
    return new EraImport(store, "mainnet", ChainConfig.MAINNET.genesisHash());
  }

  @Test
  void theMainnetFileImportsWithItsTotalDifficulties() {
    try (ChainStore store = ChainStore.open(tmp.resolve("db"))) {
      List<String> lines = new ArrayList<>();
      List<EraImport.FileResult> r = mainnetImport(store).run(HistoryFiles.mainnet(), lines::add);
      assertThat(r).singleElement().satisfies(f -> assertThat(f.blocks()).isEqualTo(8192));
      assertThat(lines)
          .containsExactly(HistoryFiles.MAINNET + ": verified and imported blocks #0..#8191");
      assertThat(store.canonicalHash(0)).contains(ChainConfig.MAINNET.genesisHash());
      assertThat(store.canonicalHash(8191).orElseThrow().toHex()).startsWith("0xa6860fef");
      assertThat(store.hasBody(8191)).isTrue();
      assertThat(store.hasReceipts(8191)).isTrue();
      BlockHeader h8191 = BlockHeader.decode(store.header(8191).orElseThrow());
      BigInteger td8190 = store.totalDifficulty(8190).orElseThrow();
      assertThat(store.totalDifficulty(8191)).contains(td8190.add(h8191.difficulty()));
      assertThat(store.totalDifficulty(0)).contains(new BigInteger("17179869184"));
    }
  }

  @Test
  void aDirectoryStopsAtItsFirstRefusedFileKeepingTheFilesBefore() {
    try (ChainStore store = ChainStore.open(tmp.resolve("db"))) {
      // The shared directory holds mainnet's file, then sepolia's, which a mainnet store refuses.
      assertThatThrownBy(() -> mainnetImport(store).run(HistoryFiles.dir(), line -> {}))
          .hasMessage(
              HistoryFiles.SEPOLIA + ": a file of network sepolia, the store holds mainnet");
      assertThat(store.highestHeader()).hasValue(8191);
    }
  }

  @Test
  void aSecondRunOverTheSameFileSkipsIt() {
    try (ChainStore store = ChainStore.open(tmp.resolve("db"))) {
      mainnetImport(store).run(HistoryFiles.mainnet(), line -> {});
      List<String> lines = new ArrayList<>();
      List<EraImport.FileResult> r = mainnetImport(store).run(HistoryFiles.mainnet(), lines::add);
      assertThat(r).singleElement().satisfies(f -> assertThat(f.skipped()).isTrue());
      assertThat(lines).containsExactly(HistoryFiles.MAINNET + ": already imported, skipped");
    }
  }

  @Test
  void aFileOfAnotherNetworkIsRefused() {
    try (ChainStore store = ChainStore.open(tmp.resolve("db"))) {
      assertThatThrownBy(() -> mainnetImport(store).importFile(HistoryFiles.sepolia()))
          .isInstanceOf(EraException.class)
          .hasMessage(
              HistoryFiles.SEPOLIA + ": a file of network sepolia, the store holds mainnet");
      assertThat(store.highestHeader()).isEmpty();
    }
  }

  @Test
  void anotherNetworksBytesUnderAMainnetNameAreRefusedByTheirContent() throws IOException {
    Path renamed = tmp.resolve("mainnet-00000-643a00f7.era1");
    Files.copy(HistoryFiles.sepolia(), renamed);
    try (ChainStore store = ChainStore.open(tmp.resolve("db"))) {
      assertThatThrownBy(() -> mainnetImport(store).importFile(renamed))
          .isInstanceOf(EraException.class)
          .hasMessageContaining("no SHA-256 listed for it");
      Files.writeString(
          tmp.resolve(Checksums.FILE_NAME),
          Checksums.sha256(renamed) + "  " + renamed.getFileName());
      assertThatThrownBy(() -> mainnetImport(store).importFile(renamed))
          .isInstanceOf(EraException.class)
          .hasMessageContaining("block #0 is 0x25a5cc10")
          .hasMessageContaining("not this network's genesis");
      assertThat(store.highestHeader()).isEmpty();
    }
  }

  private Path damaged(long offset) throws IOException {
    Path copy = HistoryFiles.copy(HistoryFiles.mainnet(), tmp);
    HistoryFiles.flip(copy, offset);
    return copy;
  }

  private static E2Store.Header record(long block, int role) throws IOException {
    try (EraArchive a = EraArchive.open(HistoryFiles.mainnet())) {
      E2Store.Header h =
          E2Store.headerAt(a.channel(), a.size(), a.indexedOffset((int) block, 0), "header");
      for (int r = 0; r < role; r++) {
        h = E2Store.headerAt(a.channel(), a.size(), h.end(), "record");
      }
      return h;
    }
  }

  private void assertRefused(Path file, String message) {
    try (ChainStore store = ChainStore.open(tmp.resolve("db-" + file.hashCode()))) {
      assertThatThrownBy(() -> mainnetImport(store).importFile(file))
          .isInstanceOf(EraException.class)
          .hasMessageContaining(message)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
      assertThat(store.highestHeader()).as("nothing stored").isEmpty();
    }
  }

  @Test
  void aFlippedByteInAHeaderIsRefusedNamingTheBlock() throws IOException {
    E2Store.Header h = record(4000, EraArchive.HEADER);
    assertRefused(
        damaged(h.dataOffset() + h.length() / 2),
        HistoryFiles.MAINNET + ": block #4000: header record is not valid snappy-framed data");
  }

  @Test
  void aFlippedByteInABodyIsRefusedNamingTheBlock() throws IOException {
    E2Store.Header h = record(4001, EraArchive.BODY);
    assertRefused(
        damaged(h.end() - 1),
        HistoryFiles.MAINNET + ": block #4001: body record is not valid snappy-framed data");
  }

  @Test
  void aFlippedByteInReceiptsIsRefusedNamingTheBlock() throws IOException {
    E2Store.Header h = record(4002, EraArchive.RECEIPTS);
    assertRefused(
        damaged(h.end() - 1),
        HistoryFiles.MAINNET + ": block #4002: receipts record is not valid snappy-framed data");
  }

  @Test
  void aFlippedByteInTheBlockIndexIsRefused() throws IOException {
    long indexData;
    try (EraArchive a = EraArchive.open(HistoryFiles.mainnet())) {
      indexData = a.indexOffset() + E2Store.HEADER_BYTES;
    }
    // The low byte of block #5's offset.
    assertRefused(
        damaged(indexData + 8 + 8 * 5),
        HistoryFiles.MAINNET + ": block index: block #5's header is indexed at offset");
  }

  @Test
  void aFlippedByteInTheAccumulatorIsRefused() throws IOException {
    long acc;
    try (EraArchive a = EraArchive.open(HistoryFiles.mainnet())) {
      acc = a.indexOffset() - Hash.SIZE;
    }
    assertRefused(
        damaged(acc + 3),
        HistoryFiles.MAINNET
            + ": accumulator record 0x5ec1ff47"); // the fourth byte's bits are flipped
  }

  @Test
  void aFlippedDifficultyIsRefused() throws IOException {
    E2Store.Header h = record(17, EraArchive.DIFFICULTY);
    assertRefused(
        damaged(h.dataOffset() + 2), HistoryFiles.MAINNET + ": block #17: total difficulty");
  }

  @Test
  void aTruncatedFileIsRefused() throws IOException {
    Path copy = HistoryFiles.copy(HistoryFiles.mainnet(), tmp);
    byte[] b = Files.readAllBytes(copy);
    Files.write(copy, java.util.Arrays.copyOf(b, b.length - 1000));
    assertRefused(copy, HistoryFiles.MAINNET + ": truncated or damaged");
  }

  @Test
  void aBodyThatDoesNotBelongToItsHeaderIsRefusedAfterRecompression() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("swapped"));
    Path file;
    long withUncle;
    try (EraArchive a = EraArchive.open(HistoryFiles.mainnet())) {
      withUncle = -1;
      for (long n = 1; n < 8192 && withUncle < 0; n++) {
        if (a.bodyRlp(n).length > 3) {
          withUncle = n;
        }
      }
      long swap = withUncle;
      ArchiveBlocks real = new ArchiveBlocks(a);
      EpochBlocks swapped =
          new EpochBlocks() {
            @Override
            public byte[] header(long n) {
              return real.header(n);
            }

            @Override
            public byte[] body(long n) {
              return n == swap ? real.body(1) : real.body(n);
            }

            @Override
            public byte[] receipts(long n) {
              return real.receipts(n);
            }

            @Override
            public Optional<BigInteger> totalDifficulty(long n) {
              return real.totalDifficulty(n);
            }
          };
      file = EraWriter.writeEra1(dir, "mainnet", 0, 8192, swapped);
    }
    Files.writeString(dir.resolve(Checksums.FILE_NAME), "0x" + Checksums.sha256(file) + "\n");
    assertRefused(
        file,
        file.getFileName() + ": block #" + withUncle + ": body: ommers hash does not match header");
  }
}
