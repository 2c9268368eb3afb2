package io.peerflow.era;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EraSourceTest {

  @TempDir Path tmp;

  @Test
  void servesEveryBlockOfTheFolderByNumberAndByHash() throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("era"));
    HistoryFiles.copy(HistoryFiles.mainnet(), folder);
    try (EraSource s = EraSource.open(folder, "mainnet");
        EraArchive a = EraArchive.open(HistoryFiles.mainnet())) {
      assertThat(s.earliest()).isZero();
      assertThat(s.head().number()).isEqualTo(8191);
      for (long n = 0; n < 8192; n += 511) {
        Hash h = BlockHeader.decode(a.headerRlp(n)).hash();
        assertThat(s.header(n)).hasValue(a.headerRlp(n));
        assertThat(s.number(h)).hasValue(n);
        assertThat(s.body(h)).hasValue(a.bodyRlp(n));
        assertThat(s.receipts(h)).hasValue(a.receiptsRlp(n).orElseThrow());
      }
      assertThat(s.header(8192)).isEmpty();
      assertThat(s.number(Hash.of(new byte[32]))).isEmpty();
    }
  }

  @Test
  void filesOfAnotherNetworkAreLeftAlone() {
    try (EraSource s = EraSource.open(HistoryFiles.dir(), "sepolia")) {
      assertThat(s.archives()).extracting(Object::toString).containsExactly(HistoryFiles.SEPOLIA);
    }
    assertThatThrownBy(() -> EraSource.open(HistoryFiles.dir(), "hoodi"))
        .hasMessageContaining("no era files of network hoodi in");
  }

  @Test
  void twoFilesHoldingTheSameBlocksAreRefused() throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("era"));
    HistoryFiles.copy(HistoryFiles.mainnet(), folder);
    Files.copy(HistoryFiles.mainnet(), folder.resolve("mainnet-00000-00000000.era1"));
    assertThatThrownBy(() -> EraSource.open(folder, "mainnet"))
        .isInstanceOf(EraException.class)
        .hasMessageContaining("holds blocks that");
  }
}
