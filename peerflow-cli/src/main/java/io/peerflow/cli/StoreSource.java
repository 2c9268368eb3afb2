package io.peerflow.cli;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.config.ChainConfig;
import io.peerflow.chain.source.ChainSource;
import io.peerflow.store.ChainStore;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A store as the chain an eth node serves: canonical blocks only, by number and hash. Thread-safe,
 * as the store is; the head is read again at every call, so a store still being filled serves its
 * newest block, and a store with nothing in it yet announces its chain's genesis.
 */
public final class StoreSource implements ChainSource {

  private final ChainStore store;
  private final BlockHeader genesis;

  public StoreSource(ChainStore store, ChainConfig chain) {
    this.store = store;
    this.genesis = chain.genesisHeader().orElseThrow();
  }

  @Override
  public BlockHeader head() {
    OptionalLong top = store.highestHeader();
    if (top.isEmpty()) {
      // Nothing stored yet: the genesis is the one block every node of the chain has, so it is
      // what Status and the fork id are computed from, as go-ethereum does on a fresh node.
      return genesis;
    }
    return BlockHeader.decode(store.header(top.getAsLong()).orElseThrow());
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
