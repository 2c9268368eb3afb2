package io.peerflow.cli;

import io.peerflow.generate.ChainGenerator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code peerflow generate}: writes a generated chain (signed transactions, receipts, withdrawals,
 * consistent roots) and its genesis file into a data directory, ready to be served. One invocation
 * per instance.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Generates a chain whose headers, bodies and receipts agree (signed transactions of three",
      "types, receipts with logs, withdrawals, every root) and stores it in DIR, with"
          + " DIR/genesis.json",
      "describing its network. Serve it with: peerflow serve --datadir DIR.",
      "The same parameters give the same chain."
    })
public final class GenerateCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--blocks",
      required = true,
      paramLabel = "N",
      description = "Blocks after genesis.")
  long blocks;

  @Option(
      names = "--datadir",
      required = true,
      paramLabel = "DIR",
      description = "Where to store the chain.")
  Path datadir;

  @Option(
      names = "--txs",
      defaultValue = "40",
      paramLabel = "N",
      description = "Mean transactions per block (default: ${DEFAULT-VALUE}).")
  int txs;

  @Option(
      names = "--seed",
      defaultValue = "1",
      paramLabel = "N",
      description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--network-id",
      defaultValue = "1337000",
      paramLabel = "N",
      description = "Chain and network id (default: ${DEFAULT-VALUE}).")
  long networkId;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ChainGenerator g = new ChainGenerator(new ChainGenerator.Params(blocks, txs, networkId, seed));
    LocalChains.Generated r =
        LocalChains.generate(
            g,
            datadir,
            (done, total) -> {
              if (done % 10_000 == 0 || done == total) {
                out.printf(Locale.ROOT, "  %,d / %,d blocks%n", done, total);
                out.flush();
              }
            });
    out.printf(
        Locale.ROOT,
        "Generated %,d blocks (%,d transactions, %.1f MB of bodies and receipts) in %.1f s: %,.0f"
            + " blocks/s%n",
        r.blocks(),
        r.transactions(),
        r.bytes() / 1e6,
        r.seconds(),
        r.blocks() / Math.max(1e-9, r.seconds()));
    out.printf(
        Locale.ROOT,
        "Head #%d %s%nGenesis %s (network %d), written to %s%n",
        r.blocks(),
        r.head().toHex(),
        g.genesis().hash().toHex(),
        networkId,
        datadir.resolve(LocalChains.GENESIS_FILE));
    return 0;
  }
}
