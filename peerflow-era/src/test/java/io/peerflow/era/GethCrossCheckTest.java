package io.peerflow.era;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.chain.block.Block;
import io.peerflow.chain.config.ChainConfig;
import io.peerflow.rlp.RlpReader;
import io.peerflow.store.ChainStore;
import io.peerflow.testkit.GoEthereum;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Era files exchanged with go-ethereum v1.17.10 (built on first use by the test kit's {@link
 * GoEthereum}): what geth exports, peerflow imports block for block, and what peerflow exports,
 * geth imports and gives back block for block.
 */
class GethCrossCheckTest {

  static final Duration DEADLINE = Duration.ofMinutes(5);

  @TempDir Path tmp;
  GethCommand geth;

  @BeforeEach
  void gethIsThere() throws Exception {
    // Built on first use (Go and its module proxy), so the cross-checks run on a fresh machine.
    geth = new GethCommand(GoEthereum.geth());
  }

  static Path ethtest() {
    return Path.of(System.getProperty("peerflow.root", "."))
        .resolve("../shared/geth-ethtest")
        .normalize();
  }

  private void ok(GethCommand.Result r) {
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  @Test
  void gethsEreExportOfTheConformanceChainImportsIntoPeerflowBlockForBlock() throws Exception {
    Path db = tmp.resolve("geth");
    ok(geth.run(db, DEADLINE, "init", ethtest().resolve("genesis.json").toString()));
    ok(geth.run(db, DEADLINE, "import", ethtest().resolve("chain.rlp").toString()));
    Path ere = tmp.resolve("ere");
    ok(geth.run(db, DEADLINE, "export-history", "--era.format", "ere", ere.toString(), "0", "600"));

    ChainConfig config = ChainConfig.named(ethtest().resolve("genesis.json").toString());
    try (ChainStore store = ChainStore.open(tmp.resolve("peerflow"))) {
      new EraImport(store, "unknown", config.genesisHash()).run(ere, line -> {});
      assertThat(store.highestHeader()).hasValue(600);
      RlpReader chain = new RlpReader(Files.readAllBytes(ethtest().resolve("chain.rlp")));
      long n = 0;
      while (chain.hasNext()) {
        Block b = Block.read(chain);
        n = b.header().number();
        assertThat(store.header(n)).as("header #%d", n).hasValue(b.header().rlp());
        assertThat(store.body(n)).as("body #%d", n).hasValue(b.body().rlp());
        assertThat(store.hasReceipts(n)).as("receipts #%d", n).isTrue();
      }
      assertThat(n).isEqualTo(600);
    }
  }

  @Test
  void peerflowsEra1AndEreExportsOfMainnetAreImportedByGethBlockForBlock() throws Exception {
    Path ours = tmp.resolve("ours.rlp");
    Path era1 = tmp.resolve("era1");
    Path ere = tmp.resolve("ere");
    try (ChainStore store = ChainStore.open(tmp.resolve("peerflow"))) {
      EraImportTest.mainnetImport(store).run(HistoryFiles.mainnet(), line -> {});
      EraExport export = new EraExport(store, "mainnet");
      export.run(EraExport.Format.ERA1, 0, 8191, era1);
      export.run(EraExport.Format.ERE, 0, 8191, ere);
      Files.move(export.run(EraExport.Format.RLP, 0, 8191, tmp.resolve("rlp")).get(0), ours);
    }
    for (String format : new String[] {"era1", "ere"}) {
      Path db = tmp.resolve("geth-" + format);
      Path dir = format.equals("era1") ? era1 : ere;
      GethCommand.Result r =
          geth.run(
              db, DEADLINE, "--mainnet", "import-history", "--era.format", format, dir.toString());
      ok(r);
      assertThat(r.output()).contains("Import done");
      Path back = tmp.resolve("geth-" + format + ".rlp");
      ok(geth.run(db, DEADLINE, "--mainnet", "export", back.toString(), "0", "8191"));
      assertThat(Files.readAllBytes(back)).as(format).isEqualTo(Files.readAllBytes(ours));
    }
  }

  @Test
  void peerflowsEreExportOfTheConformanceChainIsImportedByGeth() throws Exception {
    Path db = tmp.resolve("geth");
    ok(geth.run(db, DEADLINE, "init", ethtest().resolve("genesis.json").toString()));
    ok(geth.run(db, DEADLINE, "import", ethtest().resolve("chain.rlp").toString()));
    Path gethEre = tmp.resolve("geth-ere");
    ok(
        geth.run(
            db, DEADLINE, "export-history", "--era.format", "ere", gethEre.toString(), "0", "600"));
    ChainConfig config = ChainConfig.named(ethtest().resolve("genesis.json").toString());
    Path ours = tmp.resolve("ours");
    try (ChainStore store = ChainStore.open(tmp.resolve("peerflow"))) {
      new EraImport(store, "unknown", config.genesisHash()).run(gethEre, line -> {});
      new EraExport(store, "unknown").run(EraExport.Format.ERE, 0, 600, ours);
    }
    Path fresh = tmp.resolve("fresh");
    ok(geth.run(fresh, DEADLINE, "init", ethtest().resolve("genesis.json").toString()));
    // geth v1.17.10's import-history only looks for files named after a network it knows, so it
    // refuses its own export of this chain ("no era1 files found"), named unknown-… as ours is.
    GethCommand.Result refused =
        geth.run(fresh, DEADLINE, "import-history", "--era.format", "ere", gethEre.toString());
    assertThat(refused.output()).contains("no era1 files found");
    // Under a known network's label (the name is all geth reads of it) it takes our bytes.
    Path labelled = Files.createDirectories(tmp.resolve("labelled"));
    try (var files = Files.list(ours)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".ere")).toList()) {
        Files.copy(
            f, labelled.resolve(f.getFileName().toString().replaceFirst("^unknown-", "mainnet-")));
      }
    }
    Files.copy(ours.resolve(Checksums.FILE_NAME), labelled.resolve(Checksums.FILE_NAME));
    GethCommand.Result r =
        geth.run(fresh, DEADLINE, "import-history", "--era.format", "ere", labelled.toString());
    ok(r);
    assertThat(r.output()).contains("Import done");
    Path back = tmp.resolve("back.rlp");
    ok(geth.run(fresh, DEADLINE, "export", back.toString(), "1", "600"));
    assertThat(Files.readAllBytes(back))
        .isEqualTo(Files.readAllBytes(ethtest().resolve("chain.rlp")));
  }
}
