package io.peerflow.peers;

/**
 * A peer's answer to one request, as the transport decoded it. Core never looks inside; it only
 * needs the number of items delivered, which feeds the throughput estimates.
 *
 * <p>Implementations should be immutable, as a response may be read from several threads.
 */
public interface Response {

  /** Number of items (headers, bodies, receipts, trie nodes, ...) the peer delivered; 0 or more. */
  int itemCount();
}
