package io.peerflow.sync;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.store.ChainStore;
import io.peerflow.store.Part;
import java.util.List;

/** The store's headers as the header queue sees them. Thread-safe, as the store is. */
final class StoredChain implements HeaderQueue.StoredHeaders {

  private final ChainStore store;

  StoredChain(ChainStore store) {
    this.store = store;
  }

  @Override
  public List<long[]> missing(long from, long to) {
    return store.missingRanges(Part.HEADERS, from, to);
  }

  @Override
  public Hash hash(long number) {
    return store.canonicalHash(number).orElse(null);
  }

  @Override
  public Hash parentHash(long number) {
    return BlockHeader.decode(store.header(number).orElseThrow()).parentHash();
  }
}
