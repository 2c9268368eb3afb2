package io.peerflow.eth;

/**
 * Why an eth request or connection failed, in one line: the peer disconnected (and why), it did not
 * answer in time, its Status did not match our chain, it answered out of protocol. Immutable.
 */
public final class EthException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public EthException(String message) {
    super(message);
  }

  public EthException(String message, Throwable cause) {
    super(message, cause);
  }
}
