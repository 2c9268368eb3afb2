package io.peerflow.era;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecksumsTest {

  @TempDir Path tmp;

  @Test
  void thePublishedListsAreBuiltIn() {
    assertThat(Checksums.published("mainnet").orElseThrow().size()).isEqualTo(1897);
    assertThat(Checksums.published("sepolia").orElseThrow().size()).isEqualTo(183);
    assertThat(Checksums.published("mainnet").orElseThrow().digest(HistoryFiles.MAINNET))
        .hasValue("9c3f42e0247d5503533f437ada2d44e7e9661170421c1b7844687c8dcfc0eb9b");
    assertThat(Checksums.published("hoodi")).isEmpty();
  }

  @Test
  void gethsPositionalFormIsWrittenAndReadBackByTheFilesBesideIt() throws Exception {
    Files.writeString(tmp.resolve("mainnet-00001-a5364e9a.era1"), "b");
    Files.writeString(tmp.resolve("mainnet-00000-5ec1ffb8.era1"), "a");
    Checksums.of(
            "x",
            Map.of(
                "mainnet-00000-5ec1ffb8.era1",
                "aa".repeat(32),
                "mainnet-00001-a5364e9a.era1",
                "bb".repeat(32)))
        .write(tmp.resolve(Checksums.FILE_NAME));
    assertThat(Files.readString(tmp.resolve(Checksums.FILE_NAME)))
        .isEqualTo("0x" + "aa".repeat(32) + "\n0x" + "bb".repeat(32) + "\n");
    Checksums back = Checksums.read(tmp.resolve(Checksums.FILE_NAME));
    assertThat(back.digest("mainnet-00001-a5364e9a.era1")).hasValue("bb".repeat(32));
  }

  @Test
  void aPositionalListThatDoesNotCountTheFilesIsRefused() throws Exception {
    Files.writeString(tmp.resolve("mainnet-00000-5ec1ffb8.era1"), "a");
    Files.writeString(
        tmp.resolve(Checksums.FILE_NAME), "0x" + "aa".repeat(32) + "\n0x" + "bb".repeat(32));
    assertThatThrownBy(() -> Checksums.read(tmp.resolve(Checksums.FILE_NAME)))
        .hasMessageContaining("lists 2 digests without names for the 1 era files beside it");
    Files.writeString(tmp.resolve(Checksums.FILE_NAME), "not a digest  x.era1");
    assertThatThrownBy(() -> Checksums.read(tmp.resolve(Checksums.FILE_NAME)))
        .hasMessageContaining(":1: expected '<64 hex digits> <file name>'");
  }
}
