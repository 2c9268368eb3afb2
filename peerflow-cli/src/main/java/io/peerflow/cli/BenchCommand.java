package io.peerflow.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code peerflow bench}: benchmarks run against real sockets; one subcommand per benchmark. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Benchmarks over loopback. See: peerflow bench sync --help, peerflow bench ingest --help,"
            + " peerflow bench import --help",
    subcommands = {BenchSyncCommand.class, BenchIngestCommand.class, BenchImportCommand.class})
public final class BenchCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
