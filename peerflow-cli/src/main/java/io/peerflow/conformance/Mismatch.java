package io.peerflow.conformance;

/**
 * One trace line whose result differed from the recorded one (or that could not be applied).
 * Immutable.
 *
 * @param file the trace file, as named on the command line
 * @param line 1-based line number
 * @param op the line's operation, or {@code "?"} if it could not be read
 * @param expected the recorded result, as JSON (or a description)
 * @param got what our port returned, as JSON (or the error it raised)
 */
public record Mismatch(String file, int line, String op, String expected, String got) {

  /** {@code file:line: op: expected X, got Y}. */
  @Override
  public String toString() {
    return file + ":" + line + ": " + op + ": expected " + expected + ", got " + got;
  }
}
