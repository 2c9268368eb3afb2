package io.peerflow.rlp;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Reads a sequence of RLP items from a byte range, strictly: every length is checked against the
 * bytes actually present before anything is allocated, and non-canonical encodings (a single small
 * byte wrapped in a string header, long-form lengths that fit the short form, leading zeros in
 * lengths or integers) are refused.
 *
 * <p>Not thread-safe; it is a cursor. {@link #readList()} returns a reader over the list's payload
 * and advances this one past the list, so nested structures read naturally:
 *
 * <pre>{@code
 * RlpReader header = new RlpReader(bytes).readList();
 * Hash parent = Hash.wrap(header.readBytes(32));
 * long number = header.readLong();
 * }</pre>
 *
 * <p>Written here rather than taken from a library because peerflow decodes untrusted peer input on
 * its hot path: it needs zero-copy slicing for hashing raw items, canonical-form checks, and bounds
 * checks before allocation, which the small RLP libraries on Maven Central do not all give.
 */
public final class RlpReader {

  private final byte[] data;
  private int pos;
  private final int end;

  public RlpReader(byte[] data) {
    this(data, 0, data.length);
  }

  public RlpReader(byte[] data, int offset, int length) {
    if (offset < 0 || length < 0 || offset + length > data.length) {
      throw new IllegalArgumentException("range outside the array");
    }
    this.data = data;
    this.pos = offset;
    this.end = offset + length;
  }

  /** Whether any item is left. */
  public boolean hasNext() {
    return pos < end;
  }

  /** Whether the next item is a list. */
  public boolean nextIsList() {
    requireMore();
    return (data[pos] & 0xff) >= 0xc0;
  }

  /** Reads the next item, which must be a list, and returns a reader over its payload. */
  public RlpReader readList() {
    Item it = next();
    if (!it.list) {
      throw new RlpException("expected a list, found a string at offset " + it.start);
    }
    return new RlpReader(data, it.payloadStart, it.payloadLen);
  }

  /** Reads the next item, which must be a byte string, and returns a copy of its bytes. */
  public byte[] readBytes() {
    Item it = next();
    if (it.list) {
      throw new RlpException("expected a string, found a list at offset " + it.start);
    }
    return Arrays.copyOfRange(data, it.payloadStart, it.payloadStart + it.payloadLen);
  }

  /** Reads a byte string of exactly {@code length} bytes. */
  public byte[] readBytes(int length) {
    int at = pos;
    byte[] b = readBytes();
    if (b.length != length) {
      throw new RlpException(
          "expected " + length + " bytes at offset " + at + ", found " + b.length);
    }
    return b;
  }

  /** Reads an unsigned integer that must fit in 63 bits. */
  public long readLong() {
    int at = pos;
    Item it = integerItem();
    if (it.payloadLen > 8 || (it.payloadLen == 8 && data[it.payloadStart] < 0)) {
      throw new RlpException("integer at offset " + at + " does not fit in 63 bits");
    }
    long v = 0;
    for (int i = 0; i < it.payloadLen; i++) {
      v = (v << 8) | (data[it.payloadStart + i] & 0xff);
    }
    return v;
  }

  /**
   * Reads an unsigned integer of up to 64 bits, returning its bit pattern: values of 2^63 and above
   * come back negative (compare them with {@link Long#compareUnsigned}). For Go's {@code uint64}
   * fields such as request ids, which a peer may draw from the whole range.
   */
  public long readUint64() {
    int at = pos;
    Item it = integerItem();
    if (it.payloadLen > 8) {
      throw new RlpException("integer at offset " + at + " does not fit in 64 bits");
    }
    long v = 0;
    for (int i = 0; i < it.payloadLen; i++) {
      v = (v << 8) | (data[it.payloadStart + i] & 0xff);
    }
    return v;
  }

  /** Reads an unsigned integer that must fit in an int. */
  public int readInt() {
    int at = pos;
    long v = readLong();
    if (v > Integer.MAX_VALUE) {
      throw new RlpException("integer at offset " + at + " does not fit in 31 bits");
    }
    return (int) v;
  }

  /** Reads an unsigned integer of at most {@code maxBytes} bytes. */
  public BigInteger readBigInteger(int maxBytes) {
    int at = pos;
    Item it = integerItem();
    if (it.payloadLen > maxBytes) {
      throw new RlpException("integer at offset " + at + " longer than " + maxBytes + " bytes");
    }
    if (it.payloadLen == 0) {
      return BigInteger.ZERO;
    }
    return new BigInteger(
        1, Arrays.copyOfRange(data, it.payloadStart, it.payloadStart + it.payloadLen));
  }

  /** Returns the next item's complete encoding (header included) and moves past it. */
  public byte[] readRaw() {
    Item it = next();
    return Arrays.copyOfRange(data, it.start, it.payloadStart + it.payloadLen);
  }

  /** Skips the next item. */
  public void skip() {
    next();
  }

  /** Counts the items left without consuming them. */
  public int remainingItems() {
    int saved = pos;
    int n = 0;
    while (hasNext()) {
      next();
      n++;
    }
    pos = saved;
    return n;
  }

  /** Fails unless every item has been read: trailing data is an error in every message we read. */
  public void requireEnd() {
    if (pos != end) {
      throw new RlpException((end - pos) + " unexpected trailing byte(s) at offset " + pos);
    }
  }

  /** Decodes {@code bytes} as exactly one item and returns a reader positioned on it. */
  public static RlpReader single(byte[] bytes) {
    RlpReader r = new RlpReader(bytes);
    RlpReader copy = new RlpReader(bytes);
    copy.next();
    copy.requireEnd();
    return r;
  }

  private Item integerItem() {
    Item it = next();
    if (it.list) {
      throw new RlpException("expected an integer, found a list at offset " + it.start);
    }
    if (it.payloadLen > 0 && data[it.payloadStart] == 0) {
      throw new RlpException("integer with leading zero at offset " + it.start);
    }
    return it;
  }

  private void requireMore() {
    if (pos >= end) {
      throw new RlpException("unexpected end of input at offset " + pos);
    }
  }

  private Item next() {
    requireMore();
    int start = pos;
    int b = data[pos] & 0xff;
    boolean list;
    int payloadStart;
    long payloadLen;
    if (b < 0x80) {
      list = false;
      payloadStart = pos;
      payloadLen = 1;
    } else if (b <= 0xb7) {
      list = false;
      payloadStart = pos + 1;
      payloadLen = b - 0x80;
      if (payloadLen == 1) {
        checkAvailable(start, payloadStart, 1);
        if ((data[payloadStart] & 0xff) < 0x80) {
          throw new RlpException("non-canonical single byte at offset " + start);
        }
      }
    } else if (b < 0xc0) {
      list = false;
      int n = b - 0xb7;
      payloadStart = pos + 1 + n;
      payloadLen = longLength(start, n);
    } else if (b <= 0xf7) {
      list = true;
      payloadStart = pos + 1;
      payloadLen = b - 0xc0;
    } else {
      list = true;
      int n = b - 0xf7;
      payloadStart = pos + 1 + n;
      payloadLen = longLength(start, n);
    }
    checkAvailable(start, payloadStart, payloadLen);
    pos = payloadStart + (int) payloadLen;
    return new Item(start, list, payloadStart, (int) payloadLen);
  }

  private long longLength(int start, int n) {
    checkAvailable(start, start + 1, n);
    if (data[start + 1] == 0) {
      throw new RlpException("length with leading zero at offset " + start);
    }
    if (n > 4) {
      throw new RlpException("length of " + n + " bytes at offset " + start + " is too large");
    }
    long len = 0;
    for (int i = 0; i < n; i++) {
      len = (len << 8) | (data[start + 1 + i] & 0xff);
    }
    if (len <= 55) {
      throw new RlpException("non-canonical long-form length at offset " + start);
    }
    return len;
  }

  private void checkAvailable(int start, long from, long len) {
    if (from + len > end) {
      throw new RlpException(
          "item at offset "
              + start
              + " declares "
              + len
              + " byte(s) but only "
              + Math.max(0, end - from)
              + " remain");
    }
  }

  private static final class Item {
    final int start;
    final boolean list;
    final int payloadStart;
    final int payloadLen;

    Item(int start, boolean list, int payloadStart, int payloadLen) {
      this.start = start;
      this.list = list;
      this.payloadStart = payloadStart;
      this.payloadLen = payloadLen;
    }
  }
}
