package io.peerflow.era;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.block.BlockReceipts;
import io.peerflow.era.EraFileName.Format;
import io.peerflow.rlp.RlpWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one era1 or ere file of blocks {@code [start, start + count)}. The file is written under a
 * temporary name and renamed once complete, since its name depends on its content (accumulator root
 * or last block hash). Stateless; thread-safe.
 */
final class EraWriter {

  private EraWriter() {}

  /**
   * Writes an era1 file (pre-merge blocks, each with its total difficulty) into {@code dir}.
   *
   * @return the written file
   */
  static Path writeEra1(Path dir, String network, long start, int count, EpochBlocks blocks)
      throws IOException {
    check(start, count);
    Path tmp = Files.createTempFile(dir, ".era1-", ".tmp");
    List<Hash> hashes = new ArrayList<>(count);
    List<BigInteger> tds = new ArrayList<>(count);
    long[] headerAt = new long[count];
    try (CountingStream out = new CountingStream(Files.newOutputStream(tmp))) {
      E2Store.write(out, E2Store.VERSION, new byte[0]);
      for (int i = 0; i < count; i++) {
        long n = start + i;
        byte[] header = blocks.header(n);
        BlockHeader h = BlockHeader.decode(header);
        if (h.difficulty().signum() == 0) {
          throw new EraException(
              "block #" + n + " is post-merge; era1 files hold pre-merge blocks (use ere)");
        }
        BigInteger td =
            blocks
                .totalDifficulty(n)
                .orElseThrow(
                    () -> new EraException("the total difficulty of block #" + n + " is unknown"));
        hashes.add(h.hash());
        tds.add(td);
        headerAt[i] = out.written;
        E2Store.write(out, E2Store.COMPRESSED_HEADER, SnappyFraming.compress(header));
        E2Store.write(out, E2Store.COMPRESSED_BODY, SnappyFraming.compress(blocks.body(n)));
        // Era1 keeps receipts in their consensus form (eth/68's), blooms included.
        RlpWriter w = new RlpWriter(256);
        BlockReceipts.decode(blocks.receipts(n)).writeEth68(w);
        E2Store.write(out, E2Store.COMPRESSED_RECEIPTS, SnappyFraming.compress(w.toByteArray()));
        E2Store.write(out, E2Store.TOTAL_DIFFICULTY, Accumulator.uint256LittleEndian(td));
      }
      Hash root = Accumulator.root(hashes, tds);
      E2Store.write(out, E2Store.ACCUMULATOR, root.toArray());
      long indexAt = out.written;
      byte[] index = new byte[16 + 8 * count];
      E2Store.putLong(index, 0, start);
      for (int i = 0; i < count; i++) {
        E2Store.putLong(index, 8 + 8 * i, headerAt[i] - indexAt);
      }
      E2Store.putLong(index, 8 + 8 * count, count);
      E2Store.write(out, E2Store.BLOCK_INDEX, index);
      out.close();
      EraFileName name =
          new EraFileName(
              network,
              start / Accumulator.MAX_RECORDS,
              root.toHex().substring(2, 10),
              List.of(),
              Format.ERA1);
      return publish(tmp, dir.resolve(name.fileName()));
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Writes an ere file (without proofs, so of the {@code noproofs} profile) into {@code dir}:
   * headers, bodies and slim receipts, and for blocks from before the merge total difficulties and
   * the accumulator over them (after the merge every block carries the final total difficulty). The
   * blocks are read once per section, so memory stays small whatever the blocks' size.
   *
   * @return the written file
   */
  static Path writeEre(Path dir, String network, long start, int count, EpochBlocks blocks)
      throws IOException {
    check(start, count);
    Path tmp = Files.createTempFile(dir, ".ere-", ".tmp");
    List<Hash> preHashes = new ArrayList<>();
    List<BigInteger> preTds = new ArrayList<>();
    BigInteger[] tds = new BigInteger[count];
    boolean preMerge = false;
    boolean sawPostMerge = false;
    Hash last = null;
    int roles = 3;
    long[][] at = new long[4][count];
    try (CountingStream out = new CountingStream(Files.newOutputStream(tmp))) {
      E2Store.write(out, E2Store.VERSION, new byte[0]);
      BigInteger finalTd = null;
      for (int i = 0; i < count; i++) {
        long n = start + i;
        byte[] header = blocks.header(n);
        BlockHeader h = BlockHeader.decode(header);
        last = h.hash();
        if (h.difficulty().signum() > 0) {
          if (sawPostMerge) {
            throw new EraException("block #" + n + " has difficulty after a post-merge block");
          }
          preMerge = true;
          BigInteger td =
              blocks
                  .totalDifficulty(n)
                  .orElseThrow(
                      () ->
                          new EraException("the total difficulty of block #" + n + " is unknown"));
          preHashes.add(h.hash());
          preTds.add(td);
          tds[i] = td;
          finalTd = td;
        } else {
          sawPostMerge = true;
          tds[i] = finalTd;
        }
        at[0][i] = out.written;
        E2Store.write(out, E2Store.COMPRESSED_HEADER, SnappyFraming.compress(header));
      }
      for (int i = 0; i < count; i++) {
        at[1][i] = out.written;
        E2Store.write(out, E2Store.COMPRESSED_BODY, SnappyFraming.compress(blocks.body(start + i)));
      }
      for (int i = 0; i < count; i++) {
        at[2][i] = out.written;
        E2Store.write(
            out,
            E2Store.COMPRESSED_SLIM_RECEIPTS,
            SnappyFraming.compress(blocks.receipts(start + i)));
      }
      if (preMerge) {
        roles = 4;
        for (int i = 0; i < count; i++) {
          at[3][i] = out.written;
          E2Store.write(out, E2Store.TOTAL_DIFFICULTY, Accumulator.uint256LittleEndian(tds[i]));
        }
        E2Store.write(out, E2Store.ACCUMULATOR, Accumulator.root(preHashes, preTds).toArray());
      }
      long indexAt = out.written;
      byte[] index = new byte[8 + 8 * roles * count + 16];
      E2Store.putLong(index, 0, start);
      for (int i = 0; i < count; i++) {
        for (int r = 0; r < roles; r++) {
          E2Store.putLong(index, 8 + 8 * (i * roles + r), at[r][i] - indexAt);
        }
      }
      E2Store.putLong(index, 8 + 8 * roles * count, roles);
      E2Store.putLong(index, 16 + 8 * roles * count, count);
      E2Store.write(out, E2Store.DYNAMIC_BLOCK_INDEX, index);
      out.close();
      EraFileName name =
          new EraFileName(
              network,
              start / Accumulator.MAX_RECORDS,
              last.toHex().substring(2, 10),
              List.of("noproofs"),
              Format.ERE);
      return publish(tmp, dir.resolve(name.fileName()));
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Moves the finished file to its name, readable by all: a temporary file is created owner-only,
   * and archives are written to be shared.
   */
  private static Path publish(Path tmp, Path file) throws IOException {
    Path moved = Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    try {
      Files.setPosixFilePermissions(
          moved, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: its defaults apply.
    }
    return moved;
  }

  private static void check(long start, int count) {
    if (start % Accumulator.MAX_RECORDS != 0 || count < 1 || count > Accumulator.MAX_RECORDS) {
      throw new IllegalArgumentException(
          "an era file starts an epoch and holds 1..8192 blocks: #" + start + ", " + count);
    }
  }

  /** Counts what passes through, for the offsets the block index records. */
  private static final class CountingStream extends OutputStream {
    private final OutputStream out;
    long written;

    CountingStream(OutputStream out) {
      this.out = new BufferedOutputStream(out, 1 << 16);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      written++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      written += len;
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
