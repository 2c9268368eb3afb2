package io.peerflow.sync;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.Block;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.rlp.RlpException;
import io.peerflow.rlp.RlpReader;
import io.peerflow.store.ChainStore;
import io.peerflow.store.WriteBatch;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Imports a file of concatenated block RLP (what go-ethereum's {@code export} writes) into a store,
 * verifying every block before it is written: its header links to the previous block (or to the
 * stored parent, or the network's genesis), and its body matches its header. Blocks are read one at
 * a time, so files of any size import in bounded memory. Not thread-safe; one import at a time per
 * store.
 */
public final class BlockFileImport {

  /**
   * Largest block accepted from a file: the RLPx message limit, which no block served over the
   * network can exceed either. A larger length prefix means a corrupt file, not a big block.
   */
  static final int MAX_BLOCK_BYTES = 16 * 1024 * 1024;

  /**
   * Blocks written per store batch: large enough to amortize the write, small enough to lose little
   * on a crash.
   */
  static final int BATCH = 256;

  /** What an import did. */
  public record Result(long first, long last, long blocks, long transactions, Hash head) {}

  private BlockFileImport() {}

  /**
   * Imports {@code file} into {@code store}.
   *
   * @param genesisHash the network's genesis hash, the parent block 1 must have when block 0 is not
   *     stored; {@code null} to skip that check
   * @throws SyncException with the block number and the reason on the first bad block; every block
   *     before it is stored
   */
  public static Result run(Path file, ChainStore store, Hash genesisHash) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
      BlockHeader parent = null;
      long first = -1;
      long count = 0;
      long txs = 0;
      long offset = 0;
      WriteBatch batch = store.batch();
      int inBatch = 0;
      try {
        byte[] item;
        while ((item = nextVerifiedOrCommit(in, offset, batch)) != null) {
          Block block;
          try {
            block = Block.decode(item);
          } catch (RlpException e) {
            batch.commit();
            throw new SyncException(
                file + ": malformed block at byte " + offset + ": " + e.getMessage());
          }
          offset += item.length;
          BlockHeader h = block.header();
          String bad = verify(file, store, block, parent, genesisHash);
          if (bad != null) {
            batch.commit();
            throw new SyncException(bad);
          }
          if (parent == null) {
            first = h.number();
          }
          batch.putHeader(h.number(), h.hash(), h.rlp());
          batch.putBody(h.number(), h.hash(), block.body().rlp());
          if (++inBatch == BATCH) {
            batch.commit();
            batch.close();
            batch = store.batch();
            inBatch = 0;
          }
          parent = h;
          count++;
          txs += block.body().transactions().size();
        }
        batch.commit();
      } finally {
        batch.close();
      }
      if (parent == null) {
        throw new SyncException(file + ": no blocks in the file");
      }
      return new Result(first, parent.number(), count, txs, parent.hash());
    }
  }

  /**
   * Why {@code block} cannot follow {@code parent} (or, first in the file, the stored chain), or
   * null.
   */
  private static String verify(
      Path file, ChainStore store, Block block, BlockHeader parent, Hash genesisHash) {
    BlockHeader h = block.header();
    try {
      if (parent == null) {
        checkFirstParent(file, store, h, genesisHash);
      } else if (h.number() != parent.number() + 1 || !h.parentHash().equals(parent.hash())) {
        return file
            + ": block #"
            + h.number()
            + " does not follow block #"
            + parent.number()
            + " "
            + parent.hash().toHex();
      }
    } catch (SyncException e) {
      return e.getMessage();
    }
    Optional<String> bad = block.body().mismatch(h);
    return bad.map(b -> file + ": block #" + h.number() + ": " + b).orElse(null);
  }

  private static void checkFirstParent(
      Path file, ChainStore store, BlockHeader h, Hash genesisHash) {
    if (h.number() == 0) {
      if (genesisHash != null && !h.hash().equals(genesisHash)) {
        throw new SyncException(
            file
                + ": genesis "
                + h.hash().toHex()
                + " is not the network's "
                + genesisHash.toHex());
      }
      return;
    }
    Optional<Hash> storedParent = store.canonicalHash(h.number() - 1);
    if (storedParent.isPresent()) {
      if (!storedParent.get().equals(h.parentHash())) {
        throw new SyncException(
            file
                + ": block #"
                + h.number()
                + " does not follow the stored block #"
                + (h.number() - 1)
                + " "
                + storedParent.get().toHex());
      }
      return;
    }
    if (h.number() == 1 && genesisHash != null) {
      if (!h.parentHash().equals(genesisHash)) {
        throw new SyncException(
            file
                + ": block #1's parent "
                + h.parentHash().toHex()
                + " is not the network's genesis "
                + genesisHash.toHex()
                + " (wrong --network?)");
      }
      return;
    }
    throw new SyncException(
        file
            + ": starts at block #"
            + h.number()
            + " but block #"
            + (h.number() - 1)
            + " is not stored, so it cannot be verified");
  }

  /**
   * {@link #nextItem}, committing the verified blocks of {@code batch} first if the file is bad
   * there.
   */
  private static byte[] nextVerifiedOrCommit(InputStream in, long offset, WriteBatch batch)
      throws IOException {
    try {
      return nextItem(in, offset);
    } catch (SyncException e) {
      batch.commit();
      throw e;
    }
  }

  /** Reads one complete RLP item, or null at a clean end of file. */
  static byte[] nextItem(InputStream in, long offset) throws IOException {
    int b0 = in.read();
    if (b0 < 0) {
      return null;
    }
    if (b0 < 0xf8) {
      throw new SyncException("byte " + offset + " is not the start of a block (a long RLP list)");
    }
    int lenBytes = b0 - 0xf7;
    if (lenBytes > 4) {
      throw new SyncException("block at byte " + offset + " claims more than 4 GiB");
    }
    byte[] prefix = new byte[1 + lenBytes];
    prefix[0] = (byte) b0;
    readFully(in, prefix, 1, lenBytes, offset);
    long len = 0;
    for (int i = 1; i <= lenBytes; i++) {
      len = (len << 8) | (prefix[i] & 0xff);
    }
    if (len > MAX_BLOCK_BYTES) {
      throw new SyncException(
          "block at byte "
              + offset
              + " claims "
              + len
              + " bytes, more than the "
              + MAX_BLOCK_BYTES
              + " a block can have");
    }
    byte[] item = new byte[prefix.length + (int) len];
    System.arraycopy(prefix, 0, item, 0, prefix.length);
    readFully(in, item, prefix.length, (int) len, offset);
    // Re-read through the strict reader so a non-canonical length prefix is refused too, as a
    // SyncException like every other bad file: the import then keeps the blocks before it.
    try {
      RlpReader.single(item);
    } catch (RlpException e) {
      throw new SyncException(
          "block at byte " + offset + " is not canonical RLP: " + e.getMessage());
    }
    return item;
  }

  private static void readFully(InputStream in, byte[] b, int off, int len, long offset)
      throws IOException {
    int done = 0;
    while (done < len) {
      int n = in.read(b, off + done, len - done);
      if (n < 0) {
        throw new SyncException(
            "the file ends in the middle of the block at byte " + offset, new EOFException());
      }
      done += n;
    }
  }
}
