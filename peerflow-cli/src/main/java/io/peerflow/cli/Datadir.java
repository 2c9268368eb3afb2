package io.peerflow.cli;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockBody;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.block.BlockReceipts;
import io.peerflow.chain.config.ChainConfig;
import io.peerflow.store.ChainStore;
import io.peerflow.store.WriteBatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The layout of a peerflow data directory: the chain store under {@code chain/}, the node key
 * beside it, and the network the store belongs to, recorded at first use so that a directory is
 * never filled with blocks of two chains. Stateless; thread-safe.
 */
final class Datadir {

  /** Meta key holding the genesis hash of the chain a store holds. */
  static final String GENESIS_KEY = "genesis";

  private Datadir() {}

  /**
   * Opens the store of {@code dir} for {@code config}'s chain, recording the chain on first use.
   *
   * @throws IllegalArgumentException if the directory holds another chain
   */
  static ChainStore openStore(Path dir, ChainConfig config) {
    ChainStore store = ChainStore.open(dir.resolve("chain"));
    try {
      Optional<byte[]> recorded = store.meta(GENESIS_KEY);
      String mine = config.genesisHash().toHex();
      if (recorded.isPresent()) {
        String theirs = new String(recorded.get(), StandardCharsets.US_ASCII);
        if (!theirs.equals(mine)) {
          throw new IllegalArgumentException(
              "data directory "
                  + dir
                  + " holds the chain with genesis "
                  + theirs
                  + ", not "
                  + config.name()
                  + " ("
                  + mine
                  + "); use another --datadir");
        }
      } else {
        try (WriteBatch b = store.batch()) {
          b.putMeta(GENESIS_KEY, mine.getBytes(StandardCharsets.US_ASCII));
          b.commit();
        }
      }
      return store;
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /**
   * Stores the genesis block (header, empty body and receipts) if the config carries its header.
   */
  static void storeGenesis(ChainStore store, ChainConfig config) {
    Optional<BlockHeader> g = config.genesisHeader();
    if (g.isEmpty()) {
      return;
    }
    BlockHeader h = g.get();
    Hash hash = h.hash();
    try (WriteBatch b = store.batch()) {
      b.putHeader(0, hash, h.rlp());
      b.putBody(0, hash, BlockBody.empty(h.withdrawalsRoot() != null).rlp());
      b.putReceipts(0, hash, new BlockReceipts(List.of()).rlp());
      b.commit();
    }
  }
}
