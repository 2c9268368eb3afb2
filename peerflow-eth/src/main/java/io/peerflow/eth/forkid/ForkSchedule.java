package io.peerflow.eth.forkid;

import io.peerflow.chain.Hash;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.zip.CRC32;

/**
 * A chain's forks as EIP-2124 sees them: the genesis hash, the block-number forks and the timestamp
 * forks (EIP-6122), from which it computes fork ids and judges a remote peer's. Immutable and
 * thread-safe.
 */
public final class ForkSchedule {

  /**
   * Fork activations above this are timestamps rather than block numbers, when a remote's {@code
   * next} is judged: it is mainnet's genesis timestamp, a value no block number has reached, so the
   * two kinds of activation cannot be confused in practice.
   */
  static final long TIMESTAMP_THRESHOLD = 1438269973L;

  /**
   * Ethereum mainnet: its genesis and its fork activations as go-ethereum's chain configuration
   * lists them (blocks from Homestead to Gray Glacier; timestamps from Shanghai to BPO2).
   */
  public static final ForkSchedule MAINNET =
      new ForkSchedule(
          Hash.fromHex("0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3"),
          List.of(
              1_150_000L,
              1_920_000L,
              2_463_000L,
              2_675_000L,
              4_370_000L,
              7_280_000L,
              7_280_000L,
              9_069_000L,
              9_200_000L,
              12_244_000L,
              12_965_000L,
              13_773_000L,
              15_050_000L),
          List.of(
              1_681_338_455L,
              1_710_338_135L,
              1_746_612_311L,
              1_764_798_551L,
              1_765_290_071L,
              1_767_747_671L));

  private final Hash genesis;
  private final long[] blockForks;
  private final long[] timeForks;

  /** Every fork, block forks first, then a sentinel of unsigned max that is never passed. */
  private final long[] forks;

  /** {@code sums[i]}: checksum of the genesis and the first {@code i} forks. */
  private final int[] sums;

  /**
   * Builds the schedule. Activations at 0 (active at genesis) and repeats (two forks at one block,
   * such as Constantinople and Petersburg on mainnet) are dropped, as EIP-2124 requires; the rest
   * are sorted.
   */
  public ForkSchedule(Hash genesis, List<Long> blockForks, List<Long> timeForks) {
    this.genesis = genesis;
    this.blockForks = gather(blockForks);
    this.timeForks = gather(timeForks);
    int n = this.blockForks.length + this.timeForks.length;
    this.forks = new long[n + 1];
    System.arraycopy(this.blockForks, 0, forks, 0, this.blockForks.length);
    System.arraycopy(this.timeForks, 0, forks, this.blockForks.length, this.timeForks.length);
    forks[n] = -1L; // unsigned max
    this.sums = new int[n + 1];
    CRC32 crc = new CRC32();
    crc.update(genesis.toArray());
    sums[0] = (int) crc.getValue();
    for (int i = 0; i < n; i++) {
      crc.update(bigEndian(forks[i]));
      sums[i + 1] = (int) crc.getValue();
    }
  }

  /** The schedule of a chain configuration: its genesis and its block and time forks. */
  public static ForkSchedule of(io.peerflow.chain.config.ChainConfig config) {
    return new ForkSchedule(config.genesisHash(), config.blockForks(), config.timeForks());
  }

  private static long[] gather(List<Long> activations) {
    TreeSet<Long> set = new TreeSet<>(Long::compareUnsigned);
    for (Long a : activations) {
      if (a != null && a != 0L) {
        set.add(a);
      }
    }
    return set.stream().mapToLong(Long::longValue).toArray();
  }

  private static byte[] bigEndian(long v) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (v >>> (56 - 8 * i));
    }
    return b;
  }

  /** The genesis hash the checksums start from. */
  public Hash genesis() {
    return genesis;
  }

  /** The fork id of a node whose head block has this number and timestamp. */
  public ForkId forkId(long headNumber, long headTime) {
    for (int i = 0; i < forks.length - 1; i++) {
      long head = i < blockForks.length ? headNumber : headTime;
      if (Long.compareUnsigned(head, forks[i]) < 0) {
        return new ForkId(sums[i], forks[i]);
      }
    }
    return new ForkId(sums[forks.length - 1], 0);
  }

  /**
   * Judges a remote's fork id against this chain at our head, by EIP-2124's rules. Returns empty
   * when the peer is compatible, otherwise the reason it is not.
   */
  public Optional<String> validate(ForkId remote, long headNumber, long headTime) {
    for (int i = 0; i < forks.length; i++) {
      long head = i < blockForks.length ? headNumber : headTime;
      if (i < forks.length - 1 && Long.compareUnsigned(head, forks[i]) >= 0) {
        continue; // passed this fork; look for the first one we have not
      }
      // forks[i] is the first fork we have not passed; sums[i] is our current checksum.
      if (sums[i] == remote.hash()) {
        // Rule 1: same forks passed. Incompatible only if the remote announces a next fork
        // that we have already passed without it (we would have a different checksum then).
        long next = remote.next();
        if (next != 0
            && (Long.compareUnsigned(head, next) >= 0
                || (Long.compareUnsigned(next, TIMESTAMP_THRESHOLD) > 0
                    && Long.compareUnsigned(headTime, next) >= 0))) {
          return Optional.of(
              "local incompatible or needs update: remote "
                  + remote
                  + " announces a fork we passed without it");
        }
        return Optional.empty();
      }
      // Rule 2: the remote is behind, on a subset of our past forks. Fine if it knows the fork
      // that follows (it will take it), stale otherwise.
      for (int j = 0; j < i; j++) {
        if (sums[j] == remote.hash()) {
          if (forks[j] != remote.next()) {
            return Optional.of(
                "remote stale: "
                    + remote
                    + " does not know the fork at "
                    + Long.toUnsignedString(forks[j]));
          }
          return Optional.empty();
        }
      }
      // Rule 3: the remote is ahead, on a superset we know of as future forks: we are syncing.
      for (int j = i + 1; j < sums.length; j++) {
        if (sums[j] == remote.hash()) {
          return Optional.empty();
        }
      }
      // Rule 4: nothing matches.
      return Optional.of(
          "local incompatible or needs update: unknown fork hash 0x" + remote.hashHex());
    }
    throw new AssertionError("the sentinel fork is never passed");
  }
}
