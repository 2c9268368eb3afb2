package io.peerflow.chain.source;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The chain a node serves and announces to its peers: what a store (or anything holding blocks)
 * implements to answer peers' requests. Items are handed out as their stored RLP, so serving never
 * decodes and re-encodes what it passes on.
 *
 * <p>Implementations must be thread-safe: requests of many connections read concurrently.
 */
public interface ChainSource {

  /** The highest block served; announced in Status. */
  BlockHeader head();

  /** The lowest block whose header, body and receipts are served (eth/69's earliest block). */
  long earliest();

  /** The RLP of canonical header {@code number}. */
  Optional<byte[]> header(long number);

  /** The number of the canonical block with this hash. */
  OptionalLong number(Hash hash);

  /** The RLP of the body of the block with this hash ({@code [txs, ommers(, withdrawals)]}). */
  Optional<byte[]> body(Hash hash);

  /**
   * The receipts of the block with this hash, in eth/69's form (a list of {@code [type, status,
   * gas, logs]}).
   */
  Optional<byte[]> receipts(Hash hash);
}
