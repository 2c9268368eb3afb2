package io.peerflow.eth.forkid;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Fork ids and their validation on mainnet. The vectors are go-ethereum's ({@code
 * core/forkid/forkid_test.go}, TestCreation and TestValidation), which extend the ones published in
 * EIP-2124 with the timestamp forks of EIP-6122.
 */
class ForkScheduleTest {

  private static final ForkSchedule MAINNET = ForkSchedule.MAINNET;

  @ParameterizedTest(name = "head {0} at time {1} has fork id {2}, next {3}")
  @CsvSource({
    "0, 0, fc64ec04, 1150000",
    "1149999, 0, fc64ec04, 1150000",
    "1150000, 0, 97c2c34c, 1920000",
    "1920000, 0, 91d1f948, 2463000",
    "2463000, 0, 7a64da13, 2675000",
    "2675000, 0, 3edd5b10, 4370000",
    "4370000, 0, a00bc324, 7280000",
    "7280000, 0, 668db0af, 9069000",
    "9069000, 0, 879d6e30, 9200000",
    "9200000, 0, e029e991, 12244000",
    "12244000, 0, 0eb440f6, 12965000",
    "12965000, 0, b715077d, 13773000",
    "13773000, 0, 20c327fc, 15050000",
    "15050000, 0, f0afd0e3, 1681338455",
    "20000000, 1681338454, f0afd0e3, 1681338455",
    "20000000, 1681338455, dce96c2d, 1710338135",
    "30000000, 1710338135, 9f3d2254, 1746612311",
    "30000000, 1746612311, c376cf8b, 1764798551",
    "30000000, 1764798551, 5167e2a6, 1765290071",
    "30000000, 1765290071, cba2a1c0, 1767747671",
    "30000000, 1767747671, 07c9462e, 0",
    "50000000, 2000000000, 07c9462e, 0",
  })
  void mainnetForkIdsMatchTheReference(long head, long time, String hash, long next) {
    ForkId id = MAINNET.forkId(head, time);
    assertThat(id.hashHex()).isEqualTo(hash);
    assertThat(id.next()).isEqualTo(next);
  }

  @ParameterizedTest(name = "local head {0} time {1}, remote {2}/{3}: compatible = {4}")
  @CsvSource({
    // Same fork, remote announces the next one we also know: fine.
    "15050000, 0, f0afd0e3, 1681338455, true",
    // Same fork, remote announces an unknown far-future fork: not yet passed, fine.
    "15050000, 0, f0afd0e3, 18446744073709551615, true",
    // We are on Shanghai, remote on Gray Glacier knowing Shanghai: remote out of sync, fine.
    "20000000, 1681338455, f0afd0e3, 1681338455, true",
    // We are on Shanghai, remote on Arrow Glacier knowing Gray Glacier: remote syncing, fine.
    "20000000, 1681338455, 20c327fc, 15050000, true",
    // We are on Gray Glacier, remote on Shanghai: we are syncing, fine.
    "15050000, 0, dce96c2d, 0, true",
    // We are on Arrow Glacier, remote on Gray Glacier unaware of Shanghai: we are syncing.
    "13773000, 0, f0afd0e3, 0, true",
    // We are on Shanghai, remote on Gray Glacier unaware of Shanghai: remote stale.
    "20000000, 1681338455, f0afd0e3, 0, false",
    // Remote announces a fork at a time we have passed without it: incompatible.
    "888888888, 1660000000, f0afd0e3, 1660000000, false",
    "19999999, 1667999999, f0afd0e3, 1667999999, false",
    // Both on Shanghai, remote announces no next fork: fine.
    "20000000, 1681338455, dce96c2d, 0, true",
    // A hash that matches no past or future fork of ours.
    "20000000, 1681338455, deadbeef, 0, false",
    // Remote on Gray Glacier plus a fork at unsigned max that we do not know: incompatible.
    "15050000, 0, 27a60dbd, 0, false",
  })
  void mainnetValidationFollowsEip2124(
      long head, long time, String hash, String next, boolean compatible) {
    ForkId remote = new ForkId((int) Long.parseLong(hash, 16), Long.parseUnsignedLong(next));
    assertThat(MAINNET.validate(remote, head, time).isEmpty())
        .as("%s", MAINNET.validate(remote, head, time))
        .isEqualTo(compatible);
  }
}
