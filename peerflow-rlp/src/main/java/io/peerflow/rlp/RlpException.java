package io.peerflow.rlp;

/**
 * Input that is not valid, canonical RLP, or not of the shape the reader expected.
 *
 * <p>Unchecked, because malformed input from a peer or a file is handled at the boundary that read
 * it (a connection is closed, an import is refused), not at every call site.
 */
public final class RlpException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RlpException(String message) {
    super(message);
  }
}
