package io.peerflow.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.chain.config.ChainConfig;
import io.peerflow.cli.StoreSource;
import io.peerflow.eth.EthNode;
import io.peerflow.eth.EthNodeConfig;
import io.peerflow.rlpx.NodeKey;
import io.peerflow.store.ChainStore;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * go-ethereum's own eth protocol conformance suite ({@code devp2p rlpx eth-test}, v1.17.10) against
 * a peerflow node serving the suite's chain, synced from geth with its receipts.
 *
 * <p>Only the tests that need no transaction pool run: the suite's transaction tests first drive
 * the node's chain forward through the Engine API and then expect it to pool, propagate and fetch
 * transactions, none of which a downloader that executes nothing does (see the README).
 */
class GethConformanceTest {

  /** Every test of the suite that a node without a transaction pool or an Engine API can pass. */
  static final List<String> TESTS =
      List.of(
          "Status",
          "MaliciousHandshake",
          "BlockRangeUpdateExpired",
          "BlockRangeUpdateFuture",
          "BlockRangeUpdateInvalid",
          "GetBlockHeaders",
          "GetNonexistentBlockHeaders",
          "SimultaneousRequests",
          "SameRequestID",
          "ZeroRequestID",
          "GetBlockBodies",
          "GetReceipts",
          "GetLargeReceipts");

  /** The suite's result lines: {@code -- OK Status (10.2ms)}, {@code -- FAIL GetReceipts (..)}. */
  static final Pattern RESULT = Pattern.compile("^-- (OK|FAIL) (\\S+)", Pattern.MULTILINE);

  /** The 13 tests take seconds; allow for a loaded CI machine. */
  static final Duration SUITE_TIMEOUT = Duration.ofMinutes(5);

  static Path work;
  static ChainStore store;
  static EthNode ours;

  @BeforeAll
  static void serveTheSuitesChain() throws Exception {
    work = Files.createTempDirectory(EthTestChain.workDir(), "conformance-");
    try (GethNode geth = EthTestChain.startGeth()) {
      EthTestChain.sync(work.resolve("data"), List.of(geth.enode()), work.resolve("sync.json"));
    }
    ChainConfig chain = ChainConfig.named(EthTestChain.genesis().toString());
    store = ChainStore.open(work.resolve("data").resolve("chain"));
    ours =
        EthNode.start(
            EthNodeConfig.builder(NodeKey.generate(), chain)
                .source(new StoreSource(store, chain))
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .build());
  }

  @AfterAll
  static void stop() {
    if (ours != null) {
      ours.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  void everyTestOfTheSuiteThatNeedsNoTransactionPoolPasses() throws Exception {
    Path chainDir = suiteChainDir();
    byte[] secret = new byte[32];
    // A failing test makes devp2p exit non-zero; the result lines say which, the rest why.
    String output =
        LocalProcesses.execute(
                List.of(
                    GethNode.devp2p().toString(),
                    "rlpx",
                    "eth-test",
                    "--chain",
                    chainDir.toString(),
                    // Required flags, never used by these tests: nothing listens there.
                    "--engineapi",
                    "http://127.0.0.1:" + LocalProcesses.freePort(),
                    "--jwtsecret",
                    HexFormat.of().formatHex(secret),
                    "--node",
                    ours.enode().orElseThrow().toString(),
                    "--run",
                    "^(" + String.join("|", TESTS) + ")$"),
                work,
                Map.of(),
                SUITE_TIMEOUT)
            .output();
    Map<String, String> results = new LinkedHashMap<>();
    Matcher m = RESULT.matcher(output);
    while (m.find()) {
      results.put(m.group(2), m.group(1));
    }
    Map<String, String> expected = new LinkedHashMap<>();
    TESTS.forEach(t -> expected.put(t, "OK"));
    assertThat(results).as(output).isEqualTo(expected);
  }

  /**
   * The suite's chain folder: the shared genesis and blocks, plus the inputs only its transaction
   * and snap tests read (the head state, sender keys), empty here since those tests do not run, and
   * the block with the large receipts, which its GetLargeReceipts test asks for on eth/70.
   */
  static Path suiteChainDir() throws Exception {
    Path dir = Files.createDirectories(work.resolve("suite-chain"));
    Files.copy(
        EthTestChain.genesis(), dir.resolve("genesis.json"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        EthTestChain.chainRlp(), dir.resolve("chain.rlp"), StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(dir.resolve("headstate.json"), "{\"accounts\":{}}", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("accounts.json"), "{}", StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("txinfo.json"),
        "{\"tx-largereceipt\": " + EthTestChain.LARGE_RECEIPTS_BLOCK + "}",
        StandardCharsets.UTF_8);
    return dir;
  }
}
