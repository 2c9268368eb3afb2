package io.peerflow.discovery.enr;

/**
 * A node record that cannot be read or trusted: malformed, too large, unsorted, unsigned by its
 * key, or of an unknown identity scheme. The one exception the record decoders throw.
 */
public final class EnrException extends IllegalArgumentException {

  /** A record refused for {@code reason}. */
  public EnrException(String reason) {
    super(reason);
  }

  EnrException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
