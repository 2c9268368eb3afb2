package io.peerflow.cli;

import io.peerflow.chain.Hash;
import io.peerflow.chain.config.ChainConfig;
import io.peerflow.era.EraImport;
import io.peerflow.store.ChainStore;
import io.peerflow.sync.BlockFileImport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code peerflow import}: stores a chain from a file of concatenated block RLP (go-ethereum's
 * {@code export} format), verifying every block against its parent and its body against its header,
 * or from era1 and ere history archives, each verified completely first. One invocation per
 * instance.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Stores blocks from a file of concatenated block RLP (as go-ethereum's export writes it),",
      "verifying each block's parent link and its body against its header. The first block",
      "must follow the stored chain or, for block 1, the network's genesis.",
      "Or (--era) from era1/ere history archives: each file is verified whole before any of it",
      "is stored; files already imported are skipped; a file from the middle of history needs",
      "no parent stored.",
      "Exit code: 0 on success, 2 on bad input (nothing after the bad block, nothing of a bad",
      "era file is stored)."
    })
public final class ImportCommand implements Callable<Integer> {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--rlp", paramLabel = "FILE", description = "The block file.")
  Path rlp;

  @Option(
      names = "--era",
      paramLabel = "PATH",
      description =
          "An era1 or ere file, or a directory of them: each is verified completely (SHA-256,"
              + " accumulator, headers, bodies, receipts) before anything of it is stored.")
  Path era;

  @Option(
      names = "--checksums",
      paramLabel = "FILE",
      description =
          "A checksums.txt for --era files (default: one beside them, then the built-in"
              + " published lists of mainnet and sepolia).")
  Path checksums;

  @Option(
      names = "--datadir",
      required = true,
      paramLabel = "DIR",
      description = "Data directory of the store.")
  Path datadir;

  @Option(
      names = "--network",
      defaultValue = "mainnet",
      paramLabel = "NAME|FILE",
      description =
          "mainnet, sepolia, hoodi or a geth genesis JSON file (default: ${DEFAULT-VALUE}).")
  String network;

  @Override
  public Integer call() throws Exception {
    if ((rlp == null) == (era == null)) {
      throw new IllegalArgumentException("give one of --rlp FILE or --era PATH");
    }
    if (era != null) {
      return importEra();
    }
    if (!Files.isRegularFile(rlp)) {
      throw new IllegalArgumentException("no such file: " + rlp);
    }
    ChainConfig config = ChainConfig.named(network);
    Hash genesis = config.genesisHash();
    try (ChainStore store = Datadir.openStore(datadir, config)) {
      if (config.genesisHeader().isPresent() && store.canonicalHash(0).isEmpty()) {
        Datadir.storeGenesis(store, config);
      }
      BlockFileImport.Result r = BlockFileImport.run(rlp, store, genesis);
      spec.commandLine()
          .getOut()
          .printf(
              Locale.ROOT,
              "Imported blocks #%d..#%d (%,d blocks, %,d transactions), head %s%n",
              r.first(),
              r.last(),
              r.blocks(),
              r.transactions(),
              r.head().toHex());
    }
    return 0;
  }

  private int importEra() {
    ChainConfig config = ChainConfig.named(network);
    try (ChainStore store = Datadir.openStore(datadir, config)) {
      EraImport imp = new EraImport(store, Networks.eraName(config), config.genesisHash());
      if (checksums != null) {
        imp.checksums(checksums);
      }
      java.io.PrintWriter out = spec.commandLine().getOut();
      long blocks = 0;
      for (EraImport.FileResult r : imp.run(era, line -> out.println(line))) {
        blocks += r.blocks();
      }
      out.printf(Locale.ROOT, "Imported %,d blocks%n", blocks);
    }
    return 0;
  }
}
