package io.peerflow.era;

/**
 * A history archive that cannot be used, with a one-line reason naming the file and, where it
 * applies, the block and what did not match.
 */
public final class EraException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public EraException(String message) {
    super(message);
  }

  public EraException(String message, Throwable cause) {
    super(message, cause);
  }
}
