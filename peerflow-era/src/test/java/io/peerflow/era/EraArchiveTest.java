package io.peerflow.era;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class EraArchiveTest {

  /** The published file's bytes, read once. */
  private static final byte[] MAINNET;

  static {
    try {
      MAINNET = Files.readAllBytes(HistoryFiles.mainnet());
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static Path write(byte[] bytes, String name) throws IOException {
    Path dir = Files.createTempDirectory("era-fuzz");
    Path f = dir.resolve(name);
    Files.write(f, bytes);
    return f;
  }

  /** Opening and reading a file's blocks either works or fails with one line. */
  private static void openAndReadEverything(Path f) {
    try (EraArchive a = EraArchive.open(f)) {
      for (long n = a.start(); n <= a.last(); n += 97) {
        a.headerRlp(n);
        a.bodyRlp(n);
        a.receiptsRlp(n);
        a.totalDifficulty(n);
      }
    } catch (EraException e) {
      assertThat(e.getMessage()).doesNotContain("\n");
    }
  }

  @Property(tries = 300)
  void arbitraryBytesAreRefusedWithOneLine(@ForAll @Size(max = 2000) byte[] bytes)
      throws IOException {
    openAndReadEverything(write(bytes, "mainnet-00000-00000000.era1"));
    openAndReadEverything(write(bytes, "mainnet-00000-00000000-noproofs.ere"));
  }

  @Property(tries = 40)
  void aFileWithAnyByteChangedIsReadOrRefusedWithOneLine(
      @ForAll @IntRange(min = 0, max = 3_891_336) int at, @ForAll byte value) throws IOException {
    byte[] b = MAINNET.clone();
    b[at] = value;
    openAndReadEverything(write(b, HistoryFiles.MAINNET));
  }

  @Property(tries = 20)
  void theTailOfTheFileCutAnywhereIsRefusedWithOneLine(
      @ForAll @IntRange(min = 1, max = 200_000) int cut) throws IOException {
    byte[] b = java.util.Arrays.copyOf(MAINNET, MAINNET.length - cut);
    openAndReadEverything(write(b, HistoryFiles.MAINNET));
  }
}
