package io.peerflow.chain.config;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A chain's identity as peers check it: network id, genesis hash and fork activations (block
 * numbers up to the merge, timestamps after), and the genesis header (embedded and hash-checked for
 * the built-in networks, computed for genesis files). Immutable and thread-safe.
 *
 * <p>Built in: {@link #MAINNET}, {@link #SEPOLIA} and {@link #HOODI}, with go-ethereum's
 * activations; any geth-style genesis JSON file through {@link #named} or {@link GenesisFile}.
 */
public final class ChainConfig {

  /**
   * Ethereum mainnet. Block forks: Homestead, DAO, Tangerine Whistle, Spurious Dragon, Byzantium,
   * Constantinople, Petersburg, Istanbul, Muir Glacier, Berlin, London, Arrow Glacier, Gray
   * Glacier; time forks: Shanghai, Cancun, Prague, Osaka, BPO1, BPO2.
   */
  public static final ChainConfig MAINNET =
      new ChainConfig(
          "mainnet",
          1,
          1,
          Hash.fromHex("0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3"),
          BuiltInGenesis.header(
              "mainnet",
              BuiltInGenesis.MAINNET,
              Hash.fromHex("0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3")),
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
              1_767_747_671L),
          12_965_000L,
          1_681_338_455L,
          1_710_338_135L,
          1_746_612_311L);

  /**
   * Sepolia: every block fork through London at genesis, the merge netsplit at block 1,735,371;
   * time forks Shanghai, Cancun, Prague, Osaka, BPO1, BPO2.
   */
  public static final ChainConfig SEPOLIA =
      new ChainConfig(
          "sepolia",
          11_155_111,
          11_155_111,
          Hash.fromHex("0x25a5cc106eea7138acab33231d7160d69cb777ee0c2c553fcddf5138993e6dd9"),
          BuiltInGenesis.header(
              "sepolia",
              BuiltInGenesis.SEPOLIA,
              Hash.fromHex("0x25a5cc106eea7138acab33231d7160d69cb777ee0c2c553fcddf5138993e6dd9")),
          List.of(1_735_371L),
          List.of(
              1_677_557_088L,
              1_706_655_072L,
              1_741_159_776L,
              1_760_427_360L,
              1_761_017_184L,
              1_761_607_008L),
          0L,
          1_677_557_088L,
          1_706_655_072L,
          1_741_159_776L);

  /** Hoodi: everything through Cancun at genesis; time forks Prague, Osaka, BPO1, BPO2. */
  public static final ChainConfig HOODI =
      new ChainConfig(
          "hoodi",
          560_048,
          560_048,
          Hash.fromHex("0xbbe312868b376a3001692a646dd2d7d1e4406380dfd86b98aa8a34d1557c971b"),
          BuiltInGenesis.header(
              "hoodi",
              BuiltInGenesis.HOODI,
              Hash.fromHex("0xbbe312868b376a3001692a646dd2d7d1e4406380dfd86b98aa8a34d1557c971b")),
          List.of(),
          List.of(1_742_999_832L, 1_761_677_592L, 1_762_365_720L, 1_762_955_544L),
          0L,
          0L,
          0L,
          1_742_999_832L);

  private final String name;
  private final long networkId;
  private final long chainId;
  private final Hash genesisHash;
  private final BlockHeader genesisHeader;
  private final List<Long> blockForks;
  private final List<Long> timeForks;
  private final Long londonBlock;
  private final Long shanghaiTime;
  private final Long cancunTime;
  private final Long pragueTime;

  ChainConfig(
      String name,
      long networkId,
      long chainId,
      Hash genesisHash,
      BlockHeader genesisHeader,
      List<Long> blockForks,
      List<Long> timeForks,
      Long londonBlock,
      Long shanghaiTime,
      Long cancunTime,
      Long pragueTime) {
    this.name = Objects.requireNonNull(name);
    this.networkId = networkId;
    this.chainId = chainId;
    this.genesisHash = Objects.requireNonNull(genesisHash);
    if (genesisHeader != null && !genesisHeader.hash().equals(genesisHash)) {
      throw new IllegalArgumentException(
          name
              + ": genesis header hashes to "
              + genesisHeader.hash().toHex()
              + ", not "
              + genesisHash.toHex());
    }
    this.genesisHeader = genesisHeader;
    this.blockForks = List.copyOf(blockForks);
    this.timeForks = List.copyOf(timeForks);
    this.londonBlock = londonBlock;
    this.shanghaiTime = shanghaiTime;
    this.cancunTime = cancunTime;
    this.pragueTime = pragueTime;
  }

  /**
   * The built-in network with this name ({@code mainnet}, {@code sepolia}, {@code hoodi}), or the
   * genesis JSON file at this path.
   *
   * @throws IllegalArgumentException naming the choices when it is neither
   */
  public static ChainConfig named(String nameOrPath) {
    switch (nameOrPath.toLowerCase(Locale.ROOT)) {
      case "mainnet":
        return MAINNET;
      case "sepolia":
        return SEPOLIA;
      case "hoodi":
        return HOODI;
      default:
        Path p = Path.of(nameOrPath);
        if (Files.isRegularFile(p)) {
          return GenesisFile.parse(p);
        }
        throw new IllegalArgumentException(
            "unknown network '"
                + nameOrPath
                + "': expected mainnet, sepolia, hoodi or a genesis JSON file");
    }
  }

  /** Short name: the built-in network's, or the genesis file's name. */
  public String name() {
    return name;
  }

  /** The network id peers announce in Status. */
  public long networkId() {
    return networkId;
  }

  /** The EIP-155 chain id. */
  public long chainId() {
    return chainId;
  }

  /** Hash of block 0. */
  public Hash genesisHash() {
    return genesisHash;
  }

  /**
   * Block 0's header; present for every configuration (the built-in networks carry theirs, genesis
   * files compute it), so a node with nothing stored still has a head to announce.
   */
  public Optional<BlockHeader> genesisHeader() {
    return Optional.ofNullable(genesisHeader);
  }

  /**
   * Block-number fork activations in order, as EIP-2124 gathers them (zeros included; ForkSchedule
   * drops them).
   */
  public List<Long> blockForks() {
    return blockForks;
  }

  /** Timestamp fork activations in order. */
  public List<Long> timeForks() {
    return timeForks;
  }

  /** Whether block {@code number} follows London's header rules (a base fee). */
  public boolean isLondon(long number) {
    return londonBlock != null && number >= londonBlock;
  }

  /** Whether a block at {@code time} carries withdrawals. */
  public boolean isShanghai(long time) {
    return shanghaiTime != null && time >= shanghaiTime;
  }

  /** Whether a block at {@code time} carries Cancun's blob gas fields and beacon root. */
  public boolean isCancun(long time) {
    return cancunTime != null && time >= cancunTime;
  }

  /** Whether a block at {@code time} carries Prague's requests hash. */
  public boolean isPrague(long time) {
    return pragueTime != null && time >= pragueTime;
  }

  static List<Long> nonNull(Long... values) {
    List<Long> out = new ArrayList<>();
    for (Long v : values) {
      if (v != null) {
        out.add(v);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return name + " (network " + networkId + ", genesis " + genesisHash.toHex() + ")";
  }
}
