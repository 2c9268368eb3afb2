package io.peerflow.era;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EraFileNameTest {

  @Test
  void era1AndEreNamesParseAndFormatAsTheSpecificationsWriteThem() {
    EraFileName a = EraFileName.parse("mainnet-01896-e6ebe562.era1");
    assertThat(a.network()).isEqualTo("mainnet");
    assertThat(a.epoch()).isEqualTo(1896);
    assertThat(a.startBlock()).isEqualTo(1896L * 8192);
    assertThat(a.fileName()).isEqualTo("mainnet-01896-e6ebe562.era1");
    EraFileName b = EraFileName.parse("mainnet-00000-4bb7de2e-noproofs-noreceipts.ere");
    assertThat(b.profiles()).containsExactly("noproofs", "noreceipts");
    assertThat(b.format()).isEqualTo(EraFileName.Format.ERE);
    assertThat(
            new EraFileName("unknown", 3, "44e3809c", List.of("noproofs"), b.format()).fileName())
        .isEqualTo("unknown-00003-44e3809c-noproofs.ere");
  }

  @Test
  void otherNamesAreRefusedWithTheConvention() {
    assertThatThrownBy(() -> EraFileName.parse("mainnet-0-5ec1ffb8.era1"))
        .hasMessageContaining("not an era file name");
    assertThatThrownBy(() -> EraFileName.parse("mainnet-00000-5EC1FFB8.era1"))
        .hasMessageContaining("not an era file name");
    assertThatThrownBy(() -> EraFileName.parse("mainnet-00000-5ec1ffb8-noproofs.era1"))
        .hasMessageContaining("era1 file names carry no profile");
    assertThat(EraFileName.matches("checksums.txt")).isFalse();
  }
}
