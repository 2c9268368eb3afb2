package io.peerflow.store;

import io.peerflow.chain.Hash;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * The embedded chain store: block headers, bodies and receipts as RLP, by number and by hash, in a
 * RocksDB database; the sync engine encodes and verifies, the store only keeps bytes. Writes go
 * through {@link WriteBatch}es, atomic and durable against a crash of the process.
 *
 * <p>Thread-safe: every method may be called from any thread; {@link #close()} waits for calls in
 * progress and makes later ones fail with {@link IllegalStateException}.
 *
 * <p>Layout, one column family each: {@code headers}, {@code bodies} and {@code receipts} keyed by
 * the 8-byte big-endian block number followed by the hash, so that iteration runs in block order
 * and blocks of two forks at one height never collide; {@code canonical} from number to hash;
 * {@code numbers} from hash to number; {@code difficulty}, the total difficulty of a block where it
 * is known (from era1 archives, or summed from genesis), keyed as the parts are; and small named
 * values in the default family.
 */
public final class ChainStore implements AutoCloseable {

  /**
   * Block cache shared by all families. Syncing writes far more than it reads, and the reads
   * (serving, resuming) are mostly of recent blocks: a small cache keeps memory bounded.
   */
  static final long BLOCK_CACHE_BYTES = 32L << 20;

  /**
   * Memtable size per family before it is flushed. Bodies arrive at several MB/s while syncing; 16
   * MB keeps flushes infrequent while at most two per family (64 MB per busy family) exist.
   */
  static final long WRITE_BUFFER_BYTES = 16L << 20;

  private static final byte[][] FAMILIES = {
    RocksDB.DEFAULT_COLUMN_FAMILY,
    "headers".getBytes(StandardCharsets.US_ASCII),
    "bodies".getBytes(StandardCharsets.US_ASCII),
    "receipts".getBytes(StandardCharsets.US_ASCII),
    "canonical".getBytes(StandardCharsets.US_ASCII),
    "numbers".getBytes(StandardCharsets.US_ASCII),
    // Added after the others, so that stores created before it open unchanged (RocksDB creates a
    // missing family on open).
    "difficulty".getBytes(StandardCharsets.US_ASCII),
  };

  static {
    RocksDB.loadLibrary();
  }

  private final Path dir;
  private final RocksDB db;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final LRUCache cache;
  private final List<ColumnFamilyHandle> handles;
  private final Map<Part, ColumnFamilyHandle> parts = new EnumMap<>(Part.class);
  // A process crash (kill -9) loses nothing written to the WAL, which lives in the OS page
  // cache; only a crash of the machine could, and a lost tail there is re-fetched on resume.
  // Syncing the WAL on every batch would cost a disk flush per delivery for no gain here.
  private final WriteOptions writeOptions = new WriteOptions().setSync(false);
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  private ChainStore(
      Path dir,
      RocksDB db,
      DBOptions dbOptions,
      ColumnFamilyOptions cfOptions,
      LRUCache cache,
      List<ColumnFamilyHandle> handles) {
    this.dir = dir;
    this.db = db;
    this.dbOptions = dbOptions;
    this.cfOptions = cfOptions;
    this.cache = cache;
    this.handles = handles;
    parts.put(Part.HEADERS, handles.get(1));
    parts.put(Part.BODIES, handles.get(2));
    parts.put(Part.RECEIPTS, handles.get(3));
  }

  /**
   * Opens the store in {@code dir}, creating it if needed.
   *
   * @throws StoreException with a one-line reason: the path is not a writable directory, another
   *     process has it open, or the database is damaged
   */
  public static ChainStore open(Path dir) {
    Path abs = dir.toAbsolutePath();
    try {
      if (Files.exists(abs) && !Files.isDirectory(abs)) {
        throw new StoreException("data directory " + abs + " is a file, not a directory");
      }
      Files.createDirectories(abs);
    } catch (java.io.IOException e) {
      throw new StoreException("cannot create data directory " + abs + ": " + e.getMessage(), e);
    }
    if (!Files.isWritable(abs)) {
      throw new StoreException("data directory " + abs + " is not writable");
    }
    LRUCache cache = new LRUCache(BLOCK_CACHE_BYTES);
    ColumnFamilyOptions cfOptions =
        new ColumnFamilyOptions()
            .setWriteBufferSize(WRITE_BUFFER_BYTES)
            .setMaxWriteBufferNumber(2)
            // LZ4, not RocksDB's default Snappy: chain data is mostly hashes and signatures, which
            // neither compresses much, and LZ4 does it for half the CPU. Measured writing 4,000
            // mainnet-sized blocks (283 MB of bodies and receipts): Snappy 1.6 CPU-s and 280 MB
            // on disk, LZ4 0.8 CPU-s and 282 MB, none 0.6 CPU-s and 324 MB. Tables written with
            // Snappy by earlier versions stay readable: each block names its compression.
            .setCompressionType(CompressionType.LZ4_COMPRESSION)
            .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache));
    DBOptions dbOptions =
        new DBOptions()
            .setCreateIfMissing(true)
            .setCreateMissingColumnFamilies(true)
            // RocksDB opens files lazily and keeps them; a cap keeps a long sync within ulimits.
            .setMaxOpenFiles(512);
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    for (byte[] name : FAMILIES) {
      descriptors.add(new ColumnFamilyDescriptor(name, cfOptions));
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try {
      RocksDB db = RocksDB.open(dbOptions, abs.toString(), descriptors, handles);
      return new ChainStore(abs, db, dbOptions, cfOptions, cache, handles);
    } catch (RocksDBException e) {
      dbOptions.close();
      cfOptions.close();
      cache.close();
      String msg = String.valueOf(e.getMessage());
      if (msg.contains("lock") || msg.contains("LOCK")) {
        throw new StoreException(
            "data directory " + abs + " is in use by another peerflow process", e);
      }
      throw new StoreException("cannot open the store in " + abs + ": " + msg, e);
    }
  }

  /** The directory the store lives in. */
  public Path directory() {
    return dir;
  }

  /** A new batch of writes for this store. */
  public WriteBatch batch() {
    read(() -> null);
    return new WriteBatch(this);
  }

  /** The hash of canonical block {@code number}, if its header is stored. */
  public Optional<Hash> canonicalHash(long number) {
    return Optional.ofNullable(read(() -> db.get(canonical(), numberKey(number)))).map(Hash::of);
  }

  /** The number of the block with this hash, if its header is stored. */
  public OptionalLong number(Hash hash) {
    byte[] n = read(() -> db.get(numbers(), hash.toArray()));
    return n == null ? OptionalLong.empty() : OptionalLong.of(longOf(n, 0));
  }

  /** The canonical header RLP of block {@code number}. */
  public Optional<byte[]> header(long number) {
    return byNumber(Part.HEADERS, number);
  }

  /** The header RLP of the block with this hash. */
  public Optional<byte[]> header(Hash hash) {
    return byHash(Part.HEADERS, hash);
  }

  /** The body RLP of canonical block {@code number}. */
  public Optional<byte[]> body(long number) {
    return byNumber(Part.BODIES, number);
  }

  /** The body RLP of the block with this hash. */
  public Optional<byte[]> body(Hash hash) {
    return byHash(Part.BODIES, hash);
  }

  /** The receipts RLP of canonical block {@code number}. */
  public Optional<byte[]> receipts(long number) {
    return byNumber(Part.RECEIPTS, number);
  }

  /** The receipts RLP of the block with this hash. */
  public Optional<byte[]> receipts(Hash hash) {
    return byHash(Part.RECEIPTS, hash);
  }

  /**
   * The total difficulty of canonical block {@code number} (the sum of the difficulties of it and
   * every block before it), where it is known.
   */
  public Optional<BigInteger> totalDifficulty(long number) {
    return read(
        () -> {
          byte[] hash = db.get(canonical(), numberKey(number));
          byte[] td = hash == null ? null : db.get(difficulty(), key(number, Hash.of(hash)));
          return td == null ? Optional.empty() : Optional.of(new BigInteger(1, td));
        });
  }

  /** Whether canonical block {@code number}'s header is stored. */
  public boolean hasHeader(long number) {
    return canonicalHash(number).isPresent();
  }

  /** Whether canonical block {@code number}'s body is stored. */
  public boolean hasBody(long number) {
    return has(Part.BODIES, number);
  }

  /** Whether canonical block {@code number}'s receipts are stored. */
  public boolean hasReceipts(long number) {
    return has(Part.RECEIPTS, number);
  }

  /** A small named value, if set. */
  public Optional<byte[]> meta(String key) {
    return Optional.ofNullable(read(() -> db.get(meta(), key.getBytes(StandardCharsets.UTF_8))));
  }

  /** Highest block number with a canonical header. */
  public OptionalLong highestHeader() {
    return read(
        () -> {
          try (RocksIterator it = db.newIterator(canonical())) {
            it.seekToLast();
            return it.isValid() ? OptionalLong.of(longOf(it.key(), 0)) : OptionalLong.empty();
          }
        });
  }

  /** Lowest block number with a canonical header. */
  public OptionalLong lowestHeader() {
    return read(
        () -> {
          try (RocksIterator it = db.newIterator(canonical())) {
            it.seekToFirst();
            return it.isValid() ? OptionalLong.of(longOf(it.key(), 0)) : OptionalLong.empty();
          }
        });
  }

  /**
   * The ranges {@code [lo, hi]} of {@code [from, to]} whose canonical blocks lack {@code part} (a
   * block without a header lacks every part), highest range first. One pass over sorted keys: a
   * million blocks take well under a second.
   */
  public List<long[]> missingRanges(Part part, long from, long to) {
    List<long[]> ascending = new ArrayList<>();
    if (to < from) {
      return ascending;
    }
    read(
        () -> {
          try (ReadOptions ro = new ReadOptions().setFillCache(false);
              RocksIterator canon = db.newIterator(canonical(), ro);
              RocksIterator items =
                  part == Part.HEADERS ? null : db.newIterator(parts.get(part), ro)) {
            long next = from;
            canon.seek(numberKey(from));
            if (items != null) {
              items.seek(numberKey(from));
            }
            for (; canon.isValid(); canon.next()) {
              long n = longOf(canon.key(), 0);
              if (n > to) {
                break;
              }
              boolean present = true;
              if (items != null) {
                byte[] want = key(n, Hash.of(canon.value()));
                while (items.isValid() && Arrays.compareUnsigned(items.key(), want) < 0) {
                  items.next();
                }
                present = items.isValid() && Arrays.equals(items.key(), want);
              }
              if (present) {
                if (n > next) {
                  ascending.add(new long[] {next, n - 1});
                }
                next = n + 1;
              }
            }
            if (next <= to) {
              ascending.add(new long[] {next, to});
            }
          }
          return null;
        });
    List<long[]> out = new ArrayList<>(ascending.size());
    for (int i = ascending.size() - 1; i >= 0; i--) {
      out.add(ascending.get(i));
    }
    return out;
  }

  /** How many blocks of {@code [from, to]} lack {@code part}. */
  public long countMissing(Part part, long from, long to) {
    long n = 0;
    for (long[] r : missingRanges(part, from, to)) {
      n += r[1] - r[0] + 1;
    }
    return n;
  }

  /** Waits for calls in progress, then releases the database. Closing twice is harmless. */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (ColumnFamilyHandle h : handles) {
        h.close();
      }
      db.close();
      writeOptions.close();
      dbOptions.close();
      cfOptions.close();
      cache.close();
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------

  private Optional<byte[]> byNumber(Part part, long number) {
    return read(
        () -> {
          byte[] hash = db.get(canonical(), numberKey(number));
          return hash == null
              ? Optional.empty()
              : Optional.ofNullable(db.get(parts.get(part), key(number, Hash.of(hash))));
        });
  }

  private Optional<byte[]> byHash(Part part, Hash hash) {
    return read(
        () -> {
          byte[] n = db.get(numbers(), hash.toArray());
          return n == null
              ? Optional.empty()
              : Optional.ofNullable(db.get(parts.get(part), key(longOf(n, 0), hash)));
        });
  }

  private boolean has(Part part, long number) {
    return read(
        () -> {
          byte[] hash = db.get(canonical(), numberKey(number));
          return hash != null && db.get(parts.get(part), key(number, Hash.of(hash))) != null;
        });
  }

  void write(org.rocksdb.WriteBatch batch) {
    read(
        () -> {
          db.write(writeOptions, batch);
          return null;
        });
  }

  private interface Op<T> {
    T run() throws RocksDBException;
  }

  private <T> T read(Op<T> op) {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("the store in " + dir + " is closed");
      }
      return op.run();
    } catch (RocksDBException e) {
      throw new StoreException("store " + dir + ": " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  ColumnFamilyHandle cf(Part part) {
    return parts.get(part);
  }

  ColumnFamilyHandle canonical() {
    return handles.get(4);
  }

  ColumnFamilyHandle numbers() {
    return handles.get(5);
  }

  ColumnFamilyHandle difficulty() {
    return handles.get(6);
  }

  ColumnFamilyHandle meta() {
    return handles.get(0);
  }

  static byte[] numberKey(long number) {
    byte[] k = new byte[8];
    putLong(k, 0, number);
    return k;
  }

  static byte[] key(long number, Hash hash) {
    byte[] k = new byte[8 + Hash.SIZE];
    putLong(k, 0, number);
    System.arraycopy(hash.toArray(), 0, k, 8, Hash.SIZE);
    return k;
  }

  private static void putLong(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  private static long longOf(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }
}
