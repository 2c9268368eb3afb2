package io.peerflow.era;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockReceipts;
import io.peerflow.era.EraFileName.Format;
import io.peerflow.rlp.RlpException;
import io.peerflow.rlp.RlpReader;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * An open era1 or ere file, read at random through its block index: a block's header, body,
 * receipts and total difficulty cost one positioned read each, without reading the rest of the
 * file. Opening checks only the index's shape; {@link EraVerifier} checks the content.
 *
 * <p>Thread-safe: reads are positioned reads of one channel, which may run concurrently.
 */
public final class EraArchive implements AutoCloseable {

  // Roles of the components of an ere file's dynamic index, found from the record types.
  static final int HEADER = 0;
  static final int BODY = 1;
  static final int RECEIPTS = 2;
  static final int DIFFICULTY = 3;
  static final int PROOF = 4;

  private final Path path;
  private final EraFileName name;
  private final FileChannel channel;
  private final long size;
  private final long start;
  private final int count;
  private final long indexOffset;
  // Ere: absolute offsets, block-major, componentCount a block; era1: header offsets only.
  private final long[] offsets;
  private final int componentCount;
  // Ere: the index column of each role, or -1 when the file lacks it.
  private final int[] column = {-1, -1, -1, -1, -1};

  private EraArchive(
      Path path,
      EraFileName name,
      FileChannel channel,
      long size,
      long start,
      int count,
      long indexOffset,
      long[] offsets,
      int componentCount) {
    this.path = path;
    this.name = name;
    this.channel = channel;
    this.size = size;
    this.start = start;
    this.count = count;
    this.indexOffset = indexOffset;
    this.offsets = offsets;
    this.componentCount = componentCount;
  }

  /**
   * Opens a file and reads its block index.
   *
   * @throws EraException naming the file when its name or index is not an era file's
   */
  public static EraArchive open(Path path) {
    String file = path.getFileName().toString();
    EraFileName name = EraFileName.parse(file);
    FileChannel ch;
    try {
      ch = FileChannel.open(path, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new EraException(file + ": cannot open: " + e.getMessage(), e);
    }
    try {
      return readIndex(path, name, ch);
    } catch (EraException e) {
      close(ch);
      throw new EraException(file + ": " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      close(ch);
      throw new EraException(file + ": unreadable: " + e.getMessage(), e);
    }
  }

  private static EraArchive readIndex(Path path, EraFileName name, FileChannel ch)
      throws IOException {
    long size = ch.size();
    boolean era1 = name.format() == Format.ERA1;
    int tail = era1 ? 8 : 16;
    if (size < E2Store.HEADER_BYTES + E2Store.HEADER_BYTES + tail) {
      throw new EraException("truncated: " + size + " bytes is too short for an era file");
    }
    byte[] t = new byte[tail];
    E2Store.readFully(ch, java.nio.ByteBuffer.wrap(t), size - tail);
    long count = E2Store.getLong(t, tail - 8);
    long components = era1 ? 1 : E2Store.getLong(t, 0);
    if (count < 1 || count > Accumulator.MAX_RECORDS || components < 1 || components > 5) {
      throw new EraException(
          "truncated or damaged: the block index at its end gives "
              + Long.toUnsignedString(count)
              + " blocks"
              + (era1
                  ? " (expected 1..8192)"
                  : " of "
                      + Long.toUnsignedString(components)
                      + " components (expected 1..8192 of 2..5)"));
    }
    long dataLength = 8 + count * components * 8 + 8 * (era1 ? 1 : 2);
    long indexOffset = size - dataLength - E2Store.HEADER_BYTES;
    E2Store.Header h = E2Store.headerAt(ch, size, indexOffset, "block index");
    int want = era1 ? E2Store.BLOCK_INDEX : E2Store.DYNAMIC_BLOCK_INDEX;
    if (h.type() != want || h.length() != dataLength) {
      throw new EraException(
          "truncated or damaged: no block index record at offset "
              + indexOffset
              + " (found "
              + E2Store.typeName(h.type())
              + " of "
              + h.length()
              + " bytes)");
    }
    byte[] data = E2Store.data(ch, h);
    long start = E2Store.getLong(data, 0);
    long[] offsets = new long[(int) (count * components)];
    for (int i = 0; i < offsets.length; i++) {
      // Offsets are relative to the index record, so they are negative: two's complement.
      offsets[i] = indexOffset + E2Store.getLong(data, 8 + 8 * i);
      if (offsets[i] < 0 || offsets[i] >= indexOffset) {
        throw new EraException(
            "block index: block #"
                + (start + i / components)
                + " points at offset "
                + offsets[i]
                + ", outside the records before the index");
      }
    }
    EraArchive a =
        new EraArchive(
            path, name, ch, size, start, (int) count, indexOffset, offsets, (int) components);
    if (!era1) {
      a.assignColumns();
    }
    return a;
  }

  private void assignColumns() throws IOException {
    for (int j = 0; j < componentCount; j++) {
      E2Store.Header h = E2Store.headerAt(channel, size, offsets[j], "block index component");
      int role;
      switch (h.type()) {
        case E2Store.COMPRESSED_HEADER:
          role = HEADER;
          break;
        case E2Store.COMPRESSED_BODY:
          role = BODY;
          break;
        case E2Store.COMPRESSED_SLIM_RECEIPTS:
          role = RECEIPTS;
          break;
        case E2Store.TOTAL_DIFFICULTY:
          role = DIFFICULTY;
          break;
        case E2Store.PROOF:
          role = PROOF;
          break;
        default:
          throw new EraException(
              "block index: component "
                  + j
                  + " of block #"
                  + start
                  + " points at a "
                  + E2Store.typeName(h.type())
                  + " record");
      }
      if (column[role] >= 0) {
        throw new EraException(
            "block index: two components point at " + E2Store.typeName(h.type()));
      }
      column[role] = j;
    }
    if (column[HEADER] < 0 || column[BODY] < 0) {
      throw new EraException("block index: no header or body component");
    }
  }

  public Path path() {
    return path;
  }

  public EraFileName name() {
    return name;
  }

  public Format format() {
    return name.format();
  }

  /** The first block number held. */
  public long start() {
    return start;
  }

  /** How many blocks are held. */
  public int count() {
    return count;
  }

  /** The last block number held. */
  public long last() {
    return start + count - 1;
  }

  /** Size of the file in bytes. */
  public long size() {
    return size;
  }

  /** Whether the file holds block {@code number}. */
  public boolean holds(long number) {
    return number >= start && number <= last();
  }

  /** Whether the file has receipts (an ere file of the {@code noreceipts} profile has none). */
  public boolean hasReceipts() {
    return name.format() == Format.ERA1 || column[RECEIPTS] >= 0;
  }

  /** Whether the file has total difficulties (era1 always; ere before and at the merge). */
  public boolean hasTotalDifficulty() {
    return name.format() == Format.ERA1 || column[DIFFICULTY] >= 0;
  }

  /** The RLP of block {@code number}'s header. */
  public byte[] headerRlp(long number) {
    return decompressed(number, HEADER, "header");
  }

  /** The RLP of block {@code number}'s body, {@code [txs, ommers(, withdrawals)]}. */
  public byte[] bodyRlp(long number) {
    return decompressed(number, BODY, "body");
  }

  /**
   * Block {@code number}'s receipts, decoded from the file's form (eth/68's in era1, slim in ere).
   */
  public Optional<BlockReceipts> receipts(long number) {
    if (!hasReceipts()) {
      return Optional.empty();
    }
    byte[] rlp = decompressed(number, RECEIPTS, "receipts");
    try {
      RlpReader in = new RlpReader(rlp);
      BlockReceipts r =
          name.format() == Format.ERA1 ? BlockReceipts.readEth68(in) : BlockReceipts.readEth69(in);
      in.requireEnd();
      return Optional.of(r);
    } catch (RlpException e) {
      throw new EraException(where(number) + "receipts do not decode: " + e.getMessage(), e);
    }
  }

  /**
   * Block {@code number}'s receipts in the store's and eth/69's form: an ere file's bytes as they
   * are, an era1 file's converted.
   */
  public Optional<byte[]> receiptsRlp(long number) {
    if (name.format() == Format.ERE) {
      return hasReceipts()
          ? Optional.of(decompressed(number, RECEIPTS, "receipts"))
          : Optional.empty();
    }
    return receipts(number).map(BlockReceipts::rlp);
  }

  /** Block {@code number}'s total difficulty, where the file has it. */
  public Optional<BigInteger> totalDifficulty(long number) {
    if (!hasTotalDifficulty()) {
      return Optional.empty();
    }
    byte[] data = raw(number, DIFFICULTY, E2Store.TOTAL_DIFFICULTY, "total difficulty");
    if (data.length != 32) {
      throw new EraException(
          where(number) + "total difficulty record has " + data.length + " bytes, not 32");
    }
    return Optional.of(Accumulator.fromLittleEndian(data));
  }

  /** The accumulator root the file records, if it has one (era1 always; ere before the merge). */
  public Optional<Hash> accumulatorRecord() {
    // The accumulator is the record right before the index, when there is one.
    try {
      long off = indexOffset - E2Store.HEADER_BYTES - Hash.SIZE;
      if (off < 0) {
        return Optional.empty();
      }
      E2Store.Header h = E2Store.headerAt(channel, size, off, "accumulator");
      if (h.type() != E2Store.ACCUMULATOR || h.length() != Hash.SIZE) {
        return Optional.empty();
      }
      return Optional.of(Hash.of(E2Store.data(channel, h)));
    } catch (IOException e) {
      throw new EraException(path.getFileName() + ": unreadable: " + e.getMessage(), e);
    }
  }

  /** Where the block index record starts. */
  long indexOffset() {
    return indexOffset;
  }

  /** The offset the index gives for block {@code i} (0-based) and role, or -1 when absent. */
  long indexedOffset(int i, int role) {
    if (name.format() == Format.ERA1) {
      return role == HEADER ? offsets[i] : -1;
    }
    int col = column[role];
    return col < 0 ? -1 : offsets[i * componentCount + col];
  }

  int componentCount() {
    return componentCount;
  }

  FileChannel channel() {
    return channel;
  }

  String where(long number) {
    return path.getFileName() + ": block #" + number + ": ";
  }

  private byte[] decompressed(long number, int role, String what) {
    int type =
        role == HEADER
            ? E2Store.COMPRESSED_HEADER
            : role == BODY
                ? E2Store.COMPRESSED_BODY
                : name.format() == Format.ERA1
                    ? E2Store.COMPRESSED_RECEIPTS
                    : E2Store.COMPRESSED_SLIM_RECEIPTS;
    byte[] framed = raw(number, role, type, what);
    return SnappyFraming.decompress(framed, where(number) + what + " record");
  }

  private byte[] raw(long number, int role, int type, String what) {
    if (!holds(number)) {
      throw new IllegalArgumentException(path.getFileName() + " does not hold block #" + number);
    }
    int i = (int) (number - start);
    try {
      E2Store.Header h = locate(i, role);
      if (h.type() != type) {
        throw new EraException(
            where(number)
                + "expected a "
                + what
                + " record at offset "
                + h.offset()
                + ", found "
                + E2Store.typeName(h.type()));
      }
      return E2Store.data(channel, h);
    } catch (IOException e) {
      throw new EraException(where(number) + "unreadable: " + e.getMessage(), e);
    } catch (EraException e) {
      if (e.getMessage().startsWith(path.getFileName().toString())) {
        throw e;
      }
      throw new EraException(where(number) + e.getMessage(), e);
    }
  }

  private E2Store.Header locate(int i, int role) throws IOException {
    if (name.format() == Format.ERE) {
      return E2Store.headerAt(channel, size, indexedOffset(i, role), "indexed record");
    }
    // Era1 indexes only the header; body, receipts and total difficulty follow it in order.
    E2Store.Header h = E2Store.headerAt(channel, size, offsets[i], "header");
    for (int r = 0; r < role; r++) {
      h = E2Store.headerAt(channel, size, h.end(), "block record");
    }
    return h;
  }

  @Override
  public void close() {
    close(channel);
  }

  private static void close(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // Closing a read-only channel loses nothing; there is nothing to report.
    }
  }

  @Override
  public String toString() {
    return path.getFileName().toString();
  }
}
