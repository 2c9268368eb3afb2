package io.peerflow.eth;

import io.peerflow.peers.MessageKind;

/**
 * What a node's serving side reports as it answers peers, for metrics: one call per answer handed
 * to the transport. {@link #NONE} counts nothing and is what a node uses unless given another.
 *
 * <p>Called on the node's serving workers (and timer threads, when a decorator holds answers back),
 * from several at once: implementations are thread-safe and return at once, never blocking.
 */
@FunctionalInterface
public interface ServingObserver {

  /** The observer that ignores everything. */
  ServingObserver NONE = (kind, items, bytes) -> {};

  /**
   * An answer went out to a peer.
   *
   * @param kind what was asked for: {@link MessageKind#HEADERS}, {@link MessageKind#BODIES} or
   *     {@link MessageKind#RECEIPTS}
   * @param items how many headers, bodies or receipt lists it carries
   * @param bytes the size of its RLP payload, before compression
   */
  void answered(MessageKind kind, int items, int bytes);
}
