package io.peerflow.chain.block;

import io.peerflow.rlp.RlpException;
import io.peerflow.rlp.RlpReader;
import io.peerflow.rlp.RlpWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A transaction receipt: its transaction's type, the post-state root (before Byzantium) or status
 * (after), cumulative gas used and logs; the bloom is derived from the logs. Immutable and
 * thread-safe.
 *
 * <p>Three encodings exist and all are here: the consensus one hashed into the receipts root
 * ({@code rlp([status, gas, bloom, logs])}, prefixed by the type byte for typed receipts), eth/68's
 * network form (the consensus one, typed receipts wrapped as an RLP string), and eth/69's ({@code
 * [type, status, gas, logs]}, no bloom, since any receiver can recompute it).
 */
public final class Receipt {

  private final int type;
  private final byte[] postStateOrStatus;
  private final long cumulativeGasUsed;
  private final List<Log> logs;
  private final byte[] bloom;

  /**
   * The RLP list of the logs, as it came in when the receipt was read: the same bytes in every
   * encoding, so hashing and storing need not encode the logs again.
   */
  private final byte[] logsRlp;

  /**
   * @param postStateOrStatus a 32-byte state root (pre-Byzantium), empty (failed) or {@code 0x01}
   *     (succeeded)
   */
  public Receipt(int type, byte[] postStateOrStatus, long cumulativeGasUsed, List<Log> logs) {
    this(type, postStateOrStatus, cumulativeGasUsed, logs, null);
  }

  private Receipt(
      int type, byte[] postStateOrStatus, long cumulativeGasUsed, List<Log> logs, byte[] logsRlp) {
    if (type < 0 || type > 0x7f) {
      throw new IllegalArgumentException("receipt type out of range: " + type);
    }
    int n = postStateOrStatus.length;
    if (!(n == 0 || n == 32 || (n == 1 && postStateOrStatus[0] == 1))) {
      throw new IllegalArgumentException("receipt status must be empty, 0x01 or a 32-byte root");
    }
    if (cumulativeGasUsed < 0) {
      throw new IllegalArgumentException("cumulative gas cannot be negative");
    }
    this.type = type;
    this.postStateOrStatus = postStateOrStatus.clone();
    this.cumulativeGasUsed = cumulativeGasUsed;
    this.logs = List.copyOf(logs);
    this.bloom = Bloom.of(this.logs);
    this.logsRlp = logsRlp != null ? logsRlp : encodeLogs(this.logs);
  }

  private static byte[] encodeLogs(List<Log> logs) {
    RlpWriter w = new RlpWriter(16 + 200 * logs.size()).startList();
    for (Log l : logs) {
      l.writeTo(w);
    }
    return w.endList().toByteArray();
  }

  /** A post-Byzantium receipt with a success flag. */
  public static Receipt withStatus(
      int type, boolean success, long cumulativeGasUsed, List<Log> logs) {
    return new Receipt(type, success ? new byte[] {1} : new byte[0], cumulativeGasUsed, logs);
  }

  public int type() {
    return type;
  }

  public byte[] postStateOrStatus() {
    return postStateOrStatus.clone();
  }

  public long cumulativeGasUsed() {
    return cumulativeGasUsed;
  }

  public List<Log> logs() {
    return logs;
  }

  public byte[] bloom() {
    return bloom.clone();
  }

  byte[] bloomUnsafe() {
    return bloom;
  }

  /** The consensus encoding, the value the receipts trie stores. */
  public byte[] consensusEncoding() {
    RlpWriter w = new RlpWriter(300 + logsRlp.length);
    writeConsensus(w);
    return w.toByteArray();
  }

  /** Appends the consensus encoding: the type byte of a typed receipt, then its RLP list. */
  void writeConsensus(RlpWriter w) {
    if (type != 0) {
      w.writeRaw(new byte[] {(byte) type});
    }
    w.startList()
        .writeBytes(postStateOrStatus)
        .writeLong(cumulativeGasUsed)
        .writeBytes(bloom)
        .writeRaw(logsRlp)
        .endList();
  }

  /** Writes the eth/68 (and earlier) network form. */
  public void writeEth68(RlpWriter w) {
    if (type == 0) {
      w.writeRaw(consensusEncoding());
    } else {
      w.writeBytes(consensusEncoding());
    }
  }

  /** Writes the eth/69 network form, {@code [type, status, gas, logs]}. */
  public void writeEth69(RlpWriter w) {
    w.startList()
        .writeLong(type)
        .writeBytes(postStateOrStatus)
        .writeLong(cumulativeGasUsed)
        .writeRaw(logsRlp)
        .endList();
  }

  /**
   * Reads an eth/68 network-form receipt. The bloom it carries must equal the one its logs give: a
   * receipt whose bloom lies would otherwise slip past the receipts root check.
   */
  public static Receipt readEth68(RlpReader in) {
    int type = 0;
    RlpReader body;
    if (in.nextIsList()) {
      body = in.readList();
    } else {
      byte[] typed = in.readBytes();
      if (typed.length < 2 || (typed[0] & 0xff) > 0x7f) {
        throw new RlpException("malformed typed receipt");
      }
      // Type 0 is the legacy receipt, sent as a bare list: taken as an envelope, it would be
      // written back as a list, other bytes than the peer sent.
      if (typed[0] == 0) {
        throw new RlpException("typed receipt of type 0x00 (legacy receipts are lists)");
      }
      type = typed[0];
      RlpReader inner = RlpReader.single(Arrays.copyOfRange(typed, 1, typed.length));
      body = inner.readList();
    }
    byte[] status = body.readBytes();
    long gas = body.readLong();
    byte[] bloom = body.readBytes(Bloom.BYTES);
    byte[] logsRlp = body.readRaw();
    body.requireEnd();
    Receipt r = build(type, status, gas, logsRlp);
    if (!Arrays.equals(bloom, r.bloom)) {
      throw new RlpException("receipt bloom does not match its logs");
    }
    return r;
  }

  /** Reads an eth/69 network-form receipt. */
  public static Receipt readEth69(RlpReader in) {
    RlpReader body = in.readList();
    long type = body.readLong();
    if (type > 0x7f) {
      throw new RlpException("receipt type out of range: " + type);
    }
    byte[] status = body.readBytes();
    long gas = body.readLong();
    byte[] logsRlp = body.readRaw();
    body.requireEnd();
    return build((int) type, status, gas, logsRlp);
  }

  /** Reads the logs out of their RLP list, which must be exactly one list. */
  private static List<Log> readLogs(byte[] logsRlp) {
    RlpReader lr = RlpReader.single(logsRlp).readList();
    List<Log> logs = new ArrayList<>();
    while (lr.hasNext()) {
      logs.add(Log.read(lr));
    }
    return logs;
  }

  private static Receipt build(int type, byte[] status, long gas, byte[] logsRlp) {
    List<Log> logs = readLogs(logsRlp);
    try {
      return new Receipt(type, status, gas, logs, logsRlp);
    } catch (IllegalArgumentException e) {
      throw new RlpException("invalid receipt: " + e.getMessage());
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Receipt r
        && type == r.type
        && cumulativeGasUsed == r.cumulativeGasUsed
        && Arrays.equals(postStateOrStatus, r.postStateOrStatus)
        && logs.equals(r.logs);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(cumulativeGasUsed) * 31 + type;
  }
}
