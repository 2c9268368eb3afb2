package io.peerflow.cli;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.source.ChainSource;
import io.peerflow.store.ChainStore;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A store as the chain an eth node serves: canonical blocks only, by number and hash. Thread-safe,
 * as the store is; the head is read again at every call, so a store still being filled serves its
 * newest block.
 */
final class StoreSource implements ChainSource {

  private final ChainStore store;

  StoreSource(ChainStore store) {
    this.store = store;
  }

  @Override
  public BlockHeader head() {
    long top =
        store
            .highestHeader()
            .orElseThrow(() -> new IllegalStateException("the store holds no blocks"));
    return BlockHeader.decode(store.header(top).orElseThrow());
  }

  @Override
  public long earliest() {
    return store.lowestHeader().orElse(0);
  }

  @Override
  public Optional<byte[]> header(long number) {
    return store.header(number);
  }

  @Override
  public OptionalLong number(Hash hash) {
    OptionalLong n = store.number(hash);
    // Only the canonical chain is served: a hash of a block replaced by a reorg is unknown.
    if (n.isPresent() && store.canonicalHash(n.getAsLong()).map(hash::equals).orElse(false)) {
      return n;
    }
    return OptionalLong.empty();
  }

  @Override
  public Optional<byte[]> body(Hash hash) {
    return number(hash).isPresent() ? store.body(hash) : Optional.empty();
  }

  @Override
  public Optional<byte[]> receipts(Hash hash) {
    return number(hash).isPresent() ? store.receipts(hash) : Optional.empty();
  }
}
