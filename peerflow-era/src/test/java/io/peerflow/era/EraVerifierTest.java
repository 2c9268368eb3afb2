package io.peerflow.era;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerflow.chain.Hash;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EraVerifierTest {

  @TempDir Path tmp;

  @Test
  void thePublishedMainnetFileVerifiesAgainstItsNameAndThePublishedDigest() {
    try (EraArchive a = EraArchive.open(HistoryFiles.mainnet())) {
      EraVerifier.Verified v =
          EraVerifier.verify(a, List.of(Checksums.published("mainnet").orElseThrow()));
      assertThat(a.start()).isZero();
      assertThat(a.count()).isEqualTo(8192);
      assertThat(v.hashes()[0])
          .isEqualTo(
              Hash.fromHex("0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3"));
      assertThat(v.hashes()[8191].toHex()).startsWith("0xa6860fef");
      assertThat(a.accumulatorRecord().orElseThrow().toHex()).startsWith("0x5ec1ffb8");
      assertThat(v.sha256())
          .isEqualTo("9c3f42e0247d5503533f437ada2d44e7e9661170421c1b7844687c8dcfc0eb9b");
    }
  }

  @Test
  void thePublishedSepoliaFileVerifies() {
    try (EraArchive a = EraArchive.open(HistoryFiles.sepolia())) {
      EraVerifier.Verified v =
          EraVerifier.verify(a, List.of(Checksums.published("sepolia").orElseThrow()));
      assertThat(v.hashes()[8191].toHex()).startsWith("0x8e3e7dc9");
    }
  }

  @Test
  void aFileNoListNamesIsRefused() {
    try (EraArchive a = EraArchive.open(HistoryFiles.sepolia())) {
      assertThatThrownBy(
              () -> EraVerifier.verify(a, List.of(Checksums.published("mainnet").orElseThrow())))
          .isInstanceOf(EraException.class)
          .hasMessageContaining("no SHA-256 listed for it");
    }
  }
}
