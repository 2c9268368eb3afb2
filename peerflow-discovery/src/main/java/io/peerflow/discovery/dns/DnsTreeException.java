package io.peerflow.discovery.dns;

/**
 * A DNS node list that cannot be used: an unreadable URL or entry, a root signature that does not
 * match the list's key, an entry whose content does not match its hash, a sequence number that went
 * back, or a failed query. The one exception the node-list code throws.
 */
public final class DnsTreeException extends Exception {

  /** A list refused for {@code reason}. */
  public DnsTreeException(String reason) {
    super(reason);
  }

  DnsTreeException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
