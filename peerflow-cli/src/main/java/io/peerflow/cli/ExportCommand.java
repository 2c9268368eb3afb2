package io.peerflow.cli;

import io.peerflow.chain.config.ChainConfig;
import io.peerflow.era.EraExport;
import io.peerflow.store.ChainStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code peerflow export}: writes stored blocks as era1 or ere history archives (whole epochs of
 * 8192 blocks, with a checksums.txt) or as concatenated block RLP. One invocation per instance.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Writes blocks FROM..TO of the store in DIR to OUT: era1 files for pre-merge epochs, ere",
      "files (without proofs) for the others, each named as the specifications say, with a",
      "checksums.txt beside them; or one file of concatenated block RLP (--format rlp).",
      "Era files start at an epoch (a multiple of 8192) and hold whole epochs; only the last may",
      "be shorter, when TO is the highest stored block.",
      "Exit code: 0 on success, 2 on bad input."
    })
public final class ExportCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--format",
      defaultValue = "auto",
      paramLabel = "era1|ere|rlp|auto",
      description = "auto (default): era1 for pre-merge epochs, ere for the others.")
  String format;

  @Option(names = "--from", required = true, paramLabel = "N", description = "First block.")
  long from;

  @Option(names = "--to", required = true, paramLabel = "M", description = "Last block.")
  long to;

  @Option(
      names = "--datadir",
      required = true,
      paramLabel = "DIR",
      description = "Data directory of the store.")
  Path datadir;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write.")
  Path out;

  @Option(
      names = "--network",
      paramLabel = "NAME|FILE",
      description =
          "mainnet, sepolia, hoodi or a genesis JSON file (default: DIR/genesis.json if present,"
              + " else mainnet).")
  String network;

  @Override
  public Integer call() throws Exception {
    EraExport.Format f;
    try {
      f = EraExport.Format.valueOf(format.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--format must be era1, ere, rlp or auto, not '" + format + "'", e);
    }
    if (!Files.isDirectory(datadir.resolve("chain"))) {
      throw new IllegalArgumentException("no chain in " + datadir);
    }
    ChainConfig config = Networks.resolve(network, datadir);
    try (ChainStore store = Datadir.openStore(datadir, config)) {
      List<Path> files = new EraExport(store, Networks.eraName(config)).run(f, from, to, out);
      for (Path p : files) {
        spec.commandLine().getOut().println(p);
      }
      spec.commandLine()
          .getOut()
          .printf(Locale.ROOT, "Exported blocks #%d..#%d to %d file(s)%n", from, to, files.size());
    }
    return 0;
  }
}
