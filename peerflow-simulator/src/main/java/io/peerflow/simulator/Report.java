package io.peerflow.simulator;

import java.io.IOException;
import java.util.List;

/**
 * A way of presenting simulation results (text tables, JSON, charts): the pluggable output side of
 * the simulator. Each implementation is bound to its destination when constructed.
 *
 * <p>Implementations need not be thread-safe; a report is written once, from one thread.
 */
public interface Report {

  /** Writes the results, in the order given. */
  void write(List<RunResult> results) throws IOException;
}
