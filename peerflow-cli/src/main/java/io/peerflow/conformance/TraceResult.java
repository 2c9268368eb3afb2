package io.peerflow.conformance;

import java.util.List;

/**
 * The outcome of replaying one trace file: how many lines matched and which did not. Immutable.
 *
 * @param file the trace file, as named on the command line
 * @param passed lines applied with the recorded result (or none expected)
 * @param failed lines that differed or could not be applied
 * @param mismatches one entry per failed line, in line order
 */
public record TraceResult(String file, int passed, int failed, List<Mismatch> mismatches) {

  public TraceResult {
    mismatches = List.copyOf(mismatches);
  }
}
