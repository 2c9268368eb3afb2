package io.peerflow.era;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The shared real era1 files, and damaged copies of them for tests. */
final class HistoryFiles {

  static final String MAINNET = "mainnet-00000-5ec1ffb8.era1";
  static final String SEPOLIA = "sepolia-00000-643a00f7.era1";

  private HistoryFiles() {}

  static Path dir() {
    Path dir =
        Path.of(System.getProperty("peerflow.root", ".")).resolve("../shared/history").normalize();
    if (!Files.isRegularFile(dir.resolve(MAINNET))) {
      throw new IllegalStateException("the shared history files are missing from " + dir);
    }
    return dir;
  }

  static Path mainnet() {
    return dir().resolve(MAINNET);
  }

  static Path sepolia() {
    return dir().resolve(SEPOLIA);
  }

  /** A writable copy of {@code file} in {@code dir}, under the same name. */
  static Path copy(Path file, Path dir) throws IOException {
    Path to = dir.resolve(file.getFileName().toString());
    Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
    to.toFile().setWritable(true);
    return to;
  }

  /** Flips every bit of the byte at {@code offset}. */
  static void flip(Path file, long offset) throws IOException {
    byte[] b = Files.readAllBytes(file);
    b[Math.toIntExact(offset)] ^= (byte) 0xff;
    Files.write(file, b);
  }
}
