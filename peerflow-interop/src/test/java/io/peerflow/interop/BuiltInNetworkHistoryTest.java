package io.peerflow.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerflow.chain.config.ChainConfig;
import io.peerflow.cli.Peerflow;
import io.peerflow.cli.StoreSource;
import io.peerflow.eth.EthNode;
import io.peerflow.eth.EthNodeConfig;
import io.peerflow.eth.EthPeer;
import io.peerflow.eth.forkid.ForkId;
import io.peerflow.rlpx.NodeKey;
import io.peerflow.store.ChainStore;
import io.peerflow.store.Part;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The built-in networks with their real blocks: the published era1 files of mainnet's and sepolia's
 * blocks 0..8191 in {@code ../shared/history/}, turned into block RLP by go-ethereum ({@code geth
 * import-history}, {@code geth export}), imported and served by peerflow on its built-in network,
 * and synced by {@code peerflow sync --network NAME} into an empty data directory. And a data
 * directory with nothing stored, which still announces a valid Status and fork id.
 */
class BuiltInNetworkHistoryTest {

  static final Duration GETH_TIMEOUT = Duration.ofMinutes(5);

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "mainnet, mainnet-00000-5ec1ffb8.era1,"
        + " 0xa6860fefa339c963e1bb622526cc8dd4344eedd2a9b969e74de5cccc445fbed4",
    "sepolia, sepolia-00000-643a00f7.era1,"
        + " 0x8e3e7dc9ef199c05683417b4aa572f0b7a8bcfafca7edb6045baabc01aa4fb0c"
  })
  void theFirstEra1FilesBlocksSyncFromAPeerflowNodeIntoAnEmptyDirectory(
      String network, String era1, String head, @TempDir Path dir) throws Exception {
    Path rlp = exportWithGeth(network, era1, dir);
    ChainConfig chain = ChainConfig.named(network);
    Path served = dir.resolve("served");
    Result imported =
        cli(
            "import",
            "--rlp",
            rlp.toString(),
            "--datadir",
            served.toString(),
            "--network",
            network);
    assertThat(imported.code()).as(imported.err()).isZero();
    assertThat(imported.out()).contains("Imported blocks #1..#8191").contains(head);
    try (ChainStore store = ChainStore.open(served.resolve("chain"));
        EthNode node =
            EthNode.start(
                EthNodeConfig.builder(NodeKey.generate(), chain)
                    .source(new StoreSource(store, chain))
                    .listen(new InetSocketAddress("127.0.0.1", 0))
                    .build())) {
      Path json = dir.resolve("r.json");
      Result synced =
          cli(
              "sync",
              "--network",
              network,
              "--peer",
              node.enode().orElseThrow().toString(),
              "--datadir",
              dir.resolve("fresh").toString(),
              "--quiet",
              "--json",
              json.toString());
      assertThat(synced.code()).as(synced.out() + synced.err()).isZero();
      JsonNode report = new ObjectMapper().readTree(json.toFile());
      assertThat(report.get("to").asLong()).isEqualTo(8191);
      assertThat(report.get("headHash").asText()).isEqualTo(head);
    }
    try (ChainStore fresh = ChainStore.open(dir.resolve("fresh").resolve("chain"))) {
      assertThat(fresh.canonicalHash(0)).hasValue(chain.genesisHash());
      assertThat(fresh.countMissing(Part.BODIES, 0, 8191)).isZero();
      assertThat(fresh.countMissing(Part.RECEIPTS, 0, 8191)).isZero();
    }
  }

  @Test
  void anEmptyMainnetDirectoryAnnouncesTheGenesisAndItsForkId(@TempDir Path dir) {
    ChainConfig mainnet = ChainConfig.MAINNET;
    try (ChainStore empty = ChainStore.open(dir.resolve("chain"));
        EthNode server =
            EthNode.start(
                EthNodeConfig.builder(NodeKey.generate(), mainnet)
                    .source(new StoreSource(empty, mainnet))
                    .listen(new InetSocketAddress("127.0.0.1", 0))
                    .build());
        EthNode downloader =
            EthNode.start(EthNodeConfig.builder(NodeKey.generate(), mainnet).build())) {
      EthPeer peer =
          downloader.dial(server.enode().orElseThrow()).orTimeout(30, TimeUnit.SECONDS).join();
      assertThat(peer.headHash()).isEqualTo(mainnet.genesisHash());
      // Mainnet's genesis fork id, next fork Homestead: EIP-2124's first vector.
      assertThat(peer.status().forkId()).isEqualTo(new ForkId(0xfc64ec04, 1_150_000));
      EthPeer back = server.peers().get(0);
      assertThat(back.status().forkId()).isEqualTo(new ForkId(0xfc64ec04, 1_150_000));
    }
  }

  /**
   * Blocks 1..8191 of the shared era1 file as concatenated block RLP, by go-ethereum: its era1
   * import checks the file against the published digest list, its export writes the blocks.
   */
  static Path exportWithGeth(String network, String era1, Path dir) throws Exception {
    Path history =
        Path.of(System.getProperty("peerflow.root", "."))
            .toAbsolutePath()
            .normalize()
            .resolveSibling("shared")
            .resolve("history");
    Path eras = Files.createDirectories(dir.resolve("era"));
    Files.createSymbolicLink(eras.resolve(era1), history.resolve(era1));
    String digest =
        Files.readAllLines(history.resolve("checksums_" + network + ".txt")).stream()
            .filter(l -> l.endsWith(era1))
            .map(l -> l.split("\\s+")[0])
            .findFirst()
            .orElseThrow();
    // geth reads one 0x-prefixed digest per file, in file order.
    Files.writeString(eras.resolve("checksums.txt"), "0x" + digest + "\n", StandardCharsets.UTF_8);
    String geth = GethNode.geth().toString();
    Path data = dir.resolve("geth");
    Path rlp = dir.resolve(network + ".rlp");
    LocalProcesses.run(
        List.of(
            geth,
            "--" + network,
            "--datadir",
            data.toString(),
            "--ipcdisable",
            "import-history",
            "--era.format",
            "era1",
            eras.toString()),
        dir,
        Map.of(),
        GETH_TIMEOUT);
    LocalProcesses.run(
        List.of(
            geth,
            "--" + network,
            "--datadir",
            data.toString(),
            "--ipcdisable",
            "export",
            rlp.toString(),
            "1",
            "8191"),
        dir,
        Map.of(),
        GETH_TIMEOUT);
    return rlp;
  }

  record Result(int code, String out, String err) {}

  static Result cli(String... args) {
    var cl = Peerflow.commandLine();
    var out = new StringWriter();
    var err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
