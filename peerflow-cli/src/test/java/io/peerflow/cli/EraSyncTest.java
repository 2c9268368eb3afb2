package io.peerflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerflow.chain.config.ChainConfig;
import io.peerflow.chain.source.LayeredSource;
import io.peerflow.era.EraArchive;
import io.peerflow.era.EraExport;
import io.peerflow.era.EraImport;
import io.peerflow.era.EraSource;
import io.peerflow.eth.EthNode;
import io.peerflow.eth.EthNodeConfig;
import io.peerflow.eth.EthPeer;
import io.peerflow.rlpx.NodeKey;
import io.peerflow.store.ChainStore;
import io.peerflow.store.WriteBatch;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * History archives on the wire: a node serving mainnet's first era1 file straight from the file
 * ({@code serve --era}'s composition: the store first, then the files), synced block for block by
 * the {@code sync} command; and {@code sync --era}, which takes what its files hold and fetches
 * only the rest.
 */
class EraSyncTest {

  static final String MAINNET = "mainnet-00000-5ec1ffb8.era1";

  @TempDir Path dir;

  /** A folder holding only the shared mainnet file. */
  private Path mainnetFolder() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("era"));
    Files.copy(ExportCommandTest.history().resolve(MAINNET), folder.resolve(MAINNET));
    return folder;
  }

  private static EthNode serve(ChainStore store, EraSource archives) {
    return EthNode.start(
        EthNodeConfig.builder(NodeKey.generate(), ChainConfig.MAINNET)
            .source(
                new LayeredSource(List.of(new StoreSource(store, ChainConfig.MAINNET), archives)))
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .clientId("era-server")
            .build());
  }

  @Test
  void aNodeServingTheMainnetEra1FileIsSyncedBlockForBlock() throws Exception {
    Path folder = mainnetFolder();
    // The syncing node needs a head for its Status; mainnet's built-in configuration has no genesis
    // header, so the destination starts with block 0 stored.
    try (ChainStore dst = Datadir.openStore(dir.resolve("dst"), ChainConfig.MAINNET);
        EraArchive file = EraArchive.open(folder.resolve(MAINNET));
        WriteBatch b = dst.batch()) {
      var genesis = ChainConfig.MAINNET.genesisHash();
      b.putHeader(0, genesis, file.headerRlp(0));
      b.putBody(0, genesis, file.bodyRlp(0));
      b.putReceipts(0, genesis, file.receiptsRlp(0).orElseThrow());
      b.commit();
    }
    try (ChainStore empty = ChainStore.open(dir.resolve("serve"));
        EraSource archives = EraSource.open(folder, "mainnet");
        EthNode node = serve(empty, archives)) {
      SyncEndToEndTest.Result r =
          SyncEndToEndTest.cli(
              "sync",
              "--network",
              "mainnet",
              "--datadir",
              dir.resolve("dst").toString(),
              "--to",
              "8191",
              "--quiet",
              "--peer",
              node.enode().orElseThrow().toString());
      assertThat(r.code()).as(r.err() + r.out()).isZero();
    }
    try (ChainStore got = ChainStore.open(dir.resolve("dst").resolve("chain"));
        EraArchive file = EraArchive.open(folder.resolve(MAINNET))) {
      for (long n = 1; n <= 8191; n++) {
        assertThat(got.header(n).orElseThrow()).as("header #%d", n).isEqualTo(file.headerRlp(n));
        assertThat(got.body(n).orElseThrow()).as("body #%d", n).isEqualTo(file.bodyRlp(n));
        assertThat(got.receipts(n).orElseThrow())
            .as("receipts #%d", n)
            .isEqualTo(file.receiptsRlp(n).orElseThrow());
      }
    }
  }

  @Test
  void syncWithEraFilesFetchesOnlyWhatTheFilesDoNotHold() throws Exception {
    Path folder = mainnetFolder();
    // An ere file of blocks 0..4095 (a short last epoch), exported from a store holding just those.
    Path half = Files.createDirectories(dir.resolve("half"));
    try (ChainStore all = ChainStore.open(dir.resolve("all"));
        ChainStore part = ChainStore.open(dir.resolve("part"))) {
      new EraImport(all, "mainnet", ChainConfig.MAINNET.genesisHash()).run(folder, line -> {});
      try (WriteBatch b = part.batch()) {
        for (long n = 0; n < 4096; n++) {
          var h = all.canonicalHash(n).orElseThrow();
          b.putHeader(n, h, all.header(n).orElseThrow());
          b.putBody(n, h, all.body(n).orElseThrow());
          b.putReceipts(n, h, all.receipts(n).orElseThrow());
          b.putTotalDifficulty(n, h, all.totalDifficulty(n).orElseThrow());
        }
        b.commit();
      }
      new EraExport(part, "mainnet").run(EraExport.Format.ERE, 0, 4095, half);
    }
    Path json = dir.resolve("r.json");
    try (ChainStore empty = ChainStore.open(dir.resolve("serve"));
        EraSource archives = EraSource.open(folder, "mainnet");
        EthNode node = serve(empty, archives)) {
      SyncEndToEndTest.Result r =
          SyncEndToEndTest.cli(
              "sync",
              "--network",
              "mainnet",
              "--era",
              half.toString(),
              "--datadir",
              dir.resolve("dst").toString(),
              "--to",
              "8191",
              "--quiet",
              "--json",
              json.toString(),
              "--peer",
              node.enode().orElseThrow().toString());
      assertThat(r.code()).as(r.err() + r.out()).isZero();
      assertThat(r.out()).contains("verified and imported blocks #0..#4095");
    }
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertThat(report.get("fetched").get("headers").asLong()).as(report.toString()).isEqualTo(4096);
    try (ChainStore got = ChainStore.open(dir.resolve("dst").resolve("chain"));
        EraArchive file = EraArchive.open(folder.resolve(MAINNET))) {
      for (long n = 0; n <= 8191; n += 7) {
        assertThat(got.header(n).orElseThrow()).as("header #%d", n).isEqualTo(file.headerRlp(n));
      }
      assertThat(got.hasReceipts(8191)).isTrue();
    }
  }

  /**
   * Fills {@code upper} with mainnet blocks 4096..8191 (a peer that has expired the blocks below)
   * and {@code dst} with the genesis (a syncing node needs a head for its Status).
   */
  private void expiredBelow4096(ChainStore upper, ChainStore dst) throws Exception {
    Path folder = mainnetFolder();
    try (ChainStore all = ChainStore.open(dir.resolve("all"))) {
      new EraImport(all, "mainnet", ChainConfig.MAINNET.genesisHash()).run(folder, line -> {});
      try (WriteBatch b = upper.batch();
          WriteBatch g = dst.batch()) {
        for (long n = 4096; n < 8192; n++) {
          var h = all.canonicalHash(n).orElseThrow();
          b.putHeader(n, h, all.header(n).orElseThrow());
          b.putBody(n, h, all.body(n).orElseThrow());
          b.putReceipts(n, h, all.receipts(n).orElseThrow());
        }
        b.commit();
        var genesis = all.canonicalHash(0).orElseThrow();
        g.putHeader(0, genesis, all.header(0).orElseThrow());
        g.putBody(0, genesis, all.body(0).orElseThrow());
        g.putReceipts(0, genesis, all.receipts(0).orElseThrow());
        g.commit();
      }
    }
  }

  @Test
  void aSyncOfBlocksNoPeerServesEndsWithOneLineNamingThemAndExitOne() throws Exception {
    try (ChainStore upper = ChainStore.open(dir.resolve("upper"))) {
      try (ChainStore dst = Datadir.openStore(dir.resolve("dst"), ChainConfig.MAINNET)) {
        expiredBelow4096(upper, dst);
      }
      try (EthNode node =
          EthNode.start(
              EthNodeConfig.builder(NodeKey.generate(), ChainConfig.MAINNET)
                  .source(new StoreSource(upper, ChainConfig.MAINNET))
                  .listen(new InetSocketAddress("127.0.0.1", 0))
                  .build())) {
        SyncEndToEndTest.Result r =
            SyncEndToEndTest.cli(
                "sync",
                "--network",
                "mainnet",
                "--datadir",
                dir.resolve("dst").toString(),
                "--to",
                "8191",
                "--quiet",
                "--peer",
                node.enode().orElseThrow().toString());
        assertThat(r.code()).as(r.err() + r.out()).isEqualTo(1);
        assertThat(r.err().lines())
            .as(r.err())
            .anySatisfy(
                line ->
                    assertThat(line)
                        .startsWith(
                            "peerflow: sync failed: no peer serves headers of blocks #1..#4095"
                                + " (peers serve from #4096); era files can fill it: sync --era"
                                + " DIR, or import --era"));
      }
    }
    // What the peer does serve is kept, for a later run with era files to complete.
    try (ChainStore got = ChainStore.open(dir.resolve("dst").resolve("chain"))) {
      assertThat(got.missingRanges(io.peerflow.store.Part.HEADERS, 1, 8191))
          .singleElement()
          .satisfies(gap -> assertThat(gap).containsExactly(1, 4095));
    }
  }

  @Test
  void aSyncBelowWhatThePeersStillServePointsToEraFiles() throws Exception {
    try (ChainStore upper = ChainStore.open(dir.resolve("upper"));
        ChainStore dst = Datadir.openStore(dir.resolve("dst"), ChainConfig.MAINNET)) {
      expiredBelow4096(upper, dst);
      try (EthNode node =
              EthNode.start(
                  EthNodeConfig.builder(NodeKey.generate(), ChainConfig.MAINNET)
                      .source(new StoreSource(upper, ChainConfig.MAINNET))
                      .listen(new InetSocketAddress("127.0.0.1", 0))
                      .build());
          EthNode client =
              EthNode.start(
                  EthNodeConfig.builder(NodeKey.generate(), ChainConfig.MAINNET)
                      .source(new StoreSource(dst, ChainConfig.MAINNET))
                      .build())) {
        SyncCommand cmd = new SyncCommand();
        cmd.from = 1;
        EthPeer peer =
            client.dial(node.enode().orElseThrow()).get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(cmd.expiredHistoryHint(List.of(peer), dst))
            .hasValue(
                "peerflow: the peers serve blocks from #4096 on; blocks #1..#4095 are history they"
                    + " no longer keep: take them from era files (sync --era DIR, or import"
                    + " --era)");
        cmd.from = 4096;
        assertThat(cmd.expiredHistoryHint(List.of(peer), dst)).isEmpty();
      }
    }
  }
}
