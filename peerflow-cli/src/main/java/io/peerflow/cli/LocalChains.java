package io.peerflow.cli;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.config.ChainConfig;
import io.peerflow.generate.ChainGenerator;
import io.peerflow.store.ChainStore;
import io.peerflow.store.WriteBatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;

/**
 * Generated chains on disk: writing one into a data directory (store plus {@code genesis.json}),
 * and finding a finished one again, so the embedded default and the benchmark generate each chain
 * once per machine. Stateless; thread-safe.
 */
final class LocalChains {

  static final String GENESIS_FILE = "genesis.json";

  /** Meta key set once every block is written: a directory without it is an interrupted run. */
  static final String COMPLETE_KEY = "generated.complete";

  /** Blocks per store batch when writing: big writes, little lost to a crash. */
  static final int BATCH = 128;

  record Generated(long blocks, long transactions, long bytes, double seconds, Hash head) {}

  interface ProgressListener {
    void progress(long done, long total);
  }

  private LocalChains() {}

  /** Writes {@code g}'s chain into {@code dir}, which must not already hold another chain. */
  static Generated generate(ChainGenerator g, Path dir, ProgressListener progress)
      throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(GENESIS_FILE), g.genesisJson());
    ChainConfig config = g.config();
    long t0 = System.nanoTime();
    long txs = 0;
    long bytes = 0;
    long n = 0;
    Hash head = g.genesis().hash();
    try (ChainStore store = Datadir.openStore(dir, config)) {
      Datadir.storeGenesis(store, config);
      Iterator<ChainGenerator.GeneratedBlock> it = g.blocks();
      WriteBatch batch = store.batch();
      try {
        while (it.hasNext()) {
          ChainGenerator.GeneratedBlock b = it.next();
          BlockHeader h = b.block().header();
          byte[] body = b.block().body().rlp();
          byte[] receipts = b.receipts().rlp();
          batch
              .putHeader(h.number(), h.hash(), h.rlp())
              .putBody(h.number(), h.hash(), body)
              .putReceipts(h.number(), h.hash(), receipts);
          txs += b.block().body().transactions().size();
          bytes += body.length + receipts.length;
          head = h.hash();
          if (++n % BATCH == 0) {
            batch.commit();
            batch.close();
            batch = store.batch();
            progress.progress(n, g.blocksToGenerate());
          }
        }
        batch.putMeta(COMPLETE_KEY, head.toHex().getBytes(StandardCharsets.US_ASCII));
        batch.commit();
        progress.progress(n, g.blocksToGenerate());
      } finally {
        batch.close();
      }
    }
    return new Generated(n, txs, bytes, (System.nanoTime() - t0) / 1e9, head);
  }

  /** The head hash of a finished generated chain in {@code dir}, if there is one. */
  static Optional<String> finished(Path dir) {
    if (!Files.isRegularFile(dir.resolve(GENESIS_FILE))
        || !Files.isDirectory(dir.resolve("chain"))) {
      return Optional.empty();
    }
    try (ChainStore store = ChainStore.open(dir.resolve("chain"))) {
      return store.meta(COMPLETE_KEY).map(b -> new String(b, StandardCharsets.US_ASCII));
    }
  }
}
