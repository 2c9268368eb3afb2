package io.peerflow.cli;

import io.peerflow.conformance.Conformance;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code peerflow conformance}: replays go-ethereum traces against our port and reports every
 * difference. Exit code 0 when all lines match, 1 on any mismatch or unreadable input.
 */
@Command(
    name = "conformance",
    mixinStandardHelpOptions = true,
    description = {
      "Replay conformance traces recorded from go-ethereum against peerflow's port.",
      "Prints each mismatch (file:line: op: expected, got), one result line per file",
      "and a final 'N passed, M failed'.",
      "Exits 0 if everything matched, 1 on any mismatch or unreadable input."
    })
public final class ConformanceCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "TRACE",
      description = "Trace files (*.jsonl) or directories of them.")
  List<String> inputs;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    return Conformance.run(inputs, out, err).ok() ? 0 : 1;
  }
}
