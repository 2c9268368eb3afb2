package io.peerflow.cli;

import io.peerflow.chain.Hash;
import io.peerflow.chain.config.ChainConfig;
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
 * {@code export} format), verifying every block against its parent and its body against its header.
 * One invocation per instance.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Stores blocks from a file of concatenated block RLP (as go-ethereum's export writes it),",
      "verifying each block's parent link and its body against its header. The first block",
      "must follow the stored chain or, for block 1, the network's genesis.",
      "Exit code: 0 on success, 2 on bad input (nothing after the bad block is stored)."
    })
public final class ImportCommand implements Callable<Integer> {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--rlp", required = true, paramLabel = "FILE", description = "The block file.")
  Path rlp;

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
}
