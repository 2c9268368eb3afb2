package io.peerflow.eth.forkid;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.chain.config.ChainConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Fork ids of the built-in and file-defined chains, against go-ethereum's core/forkid vectors. */
class ChainConfigForkIdTest {

  @ParameterizedTest(name = "sepolia head {0} at {1}: {2}, next {3}")
  @CsvSource({
    "0, 0, fe3366e7, 1735371",
    "1735370, 0, fe3366e7, 1735371",
    "1735371, 0, b96cbd13, 1677557088",
    "1735372, 1677557087, b96cbd13, 1677557088",
    "1735372, 1677557088, f7f9bc08, 1706655072",
    "1735372, 1706655072, 88cf81d9, 1741159776",
    "1735372, 1741159776, ed88b5fd, 1760427360",
    "1735372, 1760427360, e2ae4999, 1761017184",
    "1735372, 1761017184, 56078a1e, 1761607008",
    "1735372, 1761607008, 268956b6, 0",
    "1735372, 2000000000, 268956b6, 0",
  })
  void sepoliaMatchesTheReference(long head, long time, String hash, long next) {
    assertThat(ForkSchedule.of(ChainConfig.SEPOLIA).forkId(head, time))
        .isEqualTo(new ForkId(Integer.parseUnsignedInt(hash, 16), next));
  }

  @ParameterizedTest(name = "hoodi head {0} at {1}: {2}, next {3}")
  @CsvSource({
    "0, 0, bef71d30, 1742999832",
    "123, 1742999831, bef71d30, 1742999832",
    "123, 1742999832, 0929e24e, 1761677592",
    "123, 1761677592, e7e0e7ff, 1762365720",
    "123, 1762365720, 3893353e, 1762955544",
    "123, 1762955544, 23aa1351, 0",
    "123, 2000000000, 23aa1351, 0",
  })
  void hoodiMatchesTheReference(long head, long time, String hash, long next) {
    assertThat(ForkSchedule.of(ChainConfig.HOODI).forkId(head, time))
        .isEqualTo(new ForkId(Integer.parseUnsignedInt(hash, 16), next));
  }

  @Test
  void theBuiltInMainnetConfigGivesTheSameScheduleAsTheConstant() {
    assertThat(ForkSchedule.of(ChainConfig.MAINNET).forkId(30_000_000, 1_767_747_671L))
        .isEqualTo(ForkSchedule.MAINNET.forkId(30_000_000, 1_767_747_671L));
  }

  @Test
  void theSharedGenesisFileGivesTheForkIdItsClientAnnounces() {
    ChainConfig gennet =
        ChainConfig.named(
            Path.of(System.getProperty("peerflow.root", "."))
                .resolve("../shared/interop/ethereumjs/gennet.json")
                .toString());
    assertThat(ForkSchedule.of(gennet).forkId(2000, 1_700_000_000L))
        .isEqualTo(new ForkId(0x2654e7f0, 0));
  }
}
