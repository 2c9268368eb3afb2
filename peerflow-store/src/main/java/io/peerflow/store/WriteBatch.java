package io.peerflow.store;

import io.peerflow.chain.Hash;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.rocksdb.RocksDBException;

/**
 * Writes collected and applied to a {@link ChainStore} all at once by {@link #commit()}: after it
 * returns, every write is durable against a crash of the process, and no crash ever leaves part of
 * a batch visible. A batch that is closed without a commit writes nothing.
 *
 * <p>Not thread-safe: one thread fills and commits a batch.
 */
public final class WriteBatch implements AutoCloseable {

  private final ChainStore store;
  private final org.rocksdb.WriteBatch batch = new org.rocksdb.WriteBatch();
  private boolean done;

  WriteBatch(ChainStore store) {
    this.store = store;
  }

  /** Stores a header as the canonical block {@code number}, findable by number and by hash. */
  public WriteBatch putHeader(long number, Hash hash, byte[] rlp) {
    byte[] key = ChainStore.key(number, hash);
    put(store.cf(Part.HEADERS), key, rlp);
    put(store.canonical(), ChainStore.numberKey(number), hash.toArray());
    put(store.numbers(), hash.toArray(), ChainStore.numberKey(number));
    return this;
  }

  /** Stores the body of block {@code number} with hash {@code hash}. */
  public WriteBatch putBody(long number, Hash hash, byte[] rlp) {
    put(store.cf(Part.BODIES), ChainStore.key(number, hash), rlp);
    return this;
  }

  /** Stores the receipts of block {@code number} with hash {@code hash}. */
  public WriteBatch putReceipts(long number, Hash hash, byte[] rlp) {
    put(store.cf(Part.RECEIPTS), ChainStore.key(number, hash), rlp);
    return this;
  }

  /** Stores the total difficulty of block {@code number} with hash {@code hash}. */
  public WriteBatch putTotalDifficulty(long number, Hash hash, BigInteger totalDifficulty) {
    if (totalDifficulty.signum() < 0) {
      throw new IllegalArgumentException("total difficulty cannot be negative");
    }
    put(store.difficulty(), ChainStore.key(number, hash), totalDifficulty.toByteArray());
    return this;
  }

  /** Stores a small named value (sync progress, the network, ...). */
  public WriteBatch putMeta(String key, byte[] value) {
    put(store.meta(), key.getBytes(StandardCharsets.UTF_8), value);
    return this;
  }

  /** Removes a named value. */
  public WriteBatch deleteMeta(String key) {
    open();
    try {
      batch.delete(store.meta(), key.getBytes(StandardCharsets.UTF_8));
    } catch (RocksDBException e) {
      throw new StoreException("cannot prepare a write: " + e.getMessage(), e);
    }
    return this;
  }

  private void put(org.rocksdb.ColumnFamilyHandle cf, byte[] key, byte[] value) {
    open();
    try {
      batch.put(cf, key, value);
    } catch (RocksDBException e) {
      throw new StoreException("cannot prepare a write: " + e.getMessage(), e);
    }
  }

  private void open() {
    if (done) {
      throw new IllegalStateException("batch already committed or closed");
    }
  }

  /** Number of writes in the batch. */
  public int size() {
    return batch.count();
  }

  /** Applies every write at once. */
  public void commit() {
    open();
    store.write(batch);
    done = true;
  }

  @Override
  public void close() {
    done = true;
    batch.close();
  }
}
