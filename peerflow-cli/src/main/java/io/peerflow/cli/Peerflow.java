package io.peerflow.cli;

import io.peerflow.concurrent.Failures;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code peerflow} command: entry point that dispatches to one class per subcommand.
 *
 * <p>Subcommands are registered in {@link #commandLine()}. Errors a user can cause (bad flags,
 * unreadable files, unreachable peers) are reported as one clear line and a non-zero exit, never a
 * stack trace.
 */
@Command(
    name = "peerflow",
    mixinStandardHelpOptions = true,
    versionProvider = Peerflow.Version.class,
    description = "Download Ethereum chain data from many peers at once.",
    subcommands = {CommandLine.HelpCommand.class})
public final class Peerflow implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line with every subcommand; tests drive it directly. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Peerflow());
    // Subcommands (one class each) are added here.
    cl.addSubcommand(new ConformanceCommand());
    cl.addSubcommand(new SimulateCommand());
    cl.addSubcommand(new SyncCommand());
    cl.addSubcommand(new ServeCommand());
    cl.addSubcommand(new GenerateCommand());
    cl.addSubcommand(new BenchCommand());
    cl.addSubcommand(new ImportCommand());
    cl.addSubcommand(new ExportCommand());
    cl.addSubcommand(new DnsCommand());
    // A bad flag is one line, not a usage dump, as for every other user error.
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          ex.getCommandLine().getErr().println("peerflow: " + ex.getMessage());
          return 2;
        });
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          commandLine.getErr().println("peerflow: " + describe(ex));
          return 2;
        });
    return cl;
  }

  static String describe(Throwable ex) {
    return Failures.describe(ex);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Peerflow.class.getPackage().getImplementationVersion();
      return new String[] {"peerflow " + (v == null ? "dev" : v)};
    }
  }
}
