package io.peerflow.rlp;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Builds one RLP encoding: strings and integers appended in order, lists opened and closed around
 * them.
 *
 * <p>Not thread-safe; one writer builds one encoding. List headers are written when the list is
 * closed, by moving the list's payload right by the header's size: lists in Ethereum messages are
 * shallow, so this costs less than a separate length-computing pass over the structure.
 */
public final class RlpWriter {

  private byte[] buf;
  private int size;
  private int[] listStarts = new int[8];
  private int depth;

  public RlpWriter() {
    this(256);
  }

  public RlpWriter(int initialCapacity) {
    this.buf = new byte[Math.max(16, initialCapacity)];
  }

  /** Appends a byte string. */
  public RlpWriter writeBytes(byte[] bytes) {
    return writeBytes(bytes, 0, bytes.length);
  }

  /** Appends {@code len} bytes of {@code bytes} from {@code off} as one byte string. */
  public RlpWriter writeBytes(byte[] bytes, int off, int len) {
    if (len == 1 && (bytes[off] & 0xff) < 0x80) {
      ensure(1);
      buf[size++] = bytes[off];
      return this;
    }
    writeHeader(0x80, len);
    ensure(len);
    System.arraycopy(bytes, off, buf, size, len);
    size += len;
    return this;
  }

  /**
   * Writes {@code bits} as an unsigned 64-bit integer (Go's {@code uint64}, e.g. the request ids
   * go-ethereum draws from the whole range), so values with the top bit set are not negative here.
   */
  public RlpWriter writeUint64(long bits) {
    if (bits >= 0) {
      return writeLong(bits);
    }
    ensure(9);
    buf[size++] = (byte) (0x80 + 8);
    putBigEndian(bits, 8);
    return this;
  }

  /** Appends a non-negative integer as a big-endian byte string without leading zeros. */
  public RlpWriter writeLong(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("RLP integers are unsigned: " + value);
    }
    if (value == 0) {
      ensure(1);
      buf[size++] = (byte) 0x80;
      return this;
    }
    if (value < 0x80) {
      ensure(1);
      buf[size++] = (byte) value;
      return this;
    }
    int n = byteLength(value);
    ensure(1 + n);
    buf[size++] = (byte) (0x80 + n);
    putBigEndian(value, n);
    return this;
  }

  /** Appends a non-negative integer of any size. */
  public RlpWriter writeBigInteger(BigInteger value) {
    if (value.signum() < 0) {
      throw new IllegalArgumentException("RLP integers are unsigned: " + value);
    }
    if (value.bitLength() < 63) {
      return writeLong(value.longValue());
    }
    byte[] b = value.toByteArray();
    int off = b[0] == 0 ? 1 : 0;
    return writeBytes(b, off, b.length - off);
  }

  /** Appends an already encoded RLP item (or several) verbatim. */
  public RlpWriter writeRaw(byte[] encoded) {
    ensure(encoded.length);
    System.arraycopy(encoded, 0, buf, size, encoded.length);
    size += encoded.length;
    return this;
  }

  /** Opens a list; everything written until the matching {@link #endList()} is its payload. */
  public RlpWriter startList() {
    if (depth == listStarts.length) {
      listStarts = Arrays.copyOf(listStarts, depth * 2);
    }
    listStarts[depth++] = size;
    return this;
  }

  /** Closes the innermost open list. */
  public RlpWriter endList() {
    if (depth == 0) {
      throw new IllegalStateException("endList without startList");
    }
    int start = listStarts[--depth];
    int payload = size - start;
    int headerLen = payload <= 55 ? 1 : 1 + byteLength(payload);
    ensure(headerLen);
    System.arraycopy(buf, start, buf, start + headerLen, payload);
    if (payload <= 55) {
      buf[start] = (byte) (0xc0 + payload);
    } else {
      int n = headerLen - 1;
      buf[start] = (byte) (0xf7 + n);
      for (int i = 0; i < n; i++) {
        buf[start + 1 + i] = (byte) (payload >>> (8 * (n - 1 - i)));
      }
    }
    size += headerLen;
    return this;
  }

  /** Writes an empty list ({@code 0xc0}). */
  public RlpWriter writeEmptyList() {
    ensure(1);
    buf[size++] = (byte) 0xc0;
    return this;
  }

  /** The encoding built so far; every opened list must be closed. */
  public byte[] toByteArray() {
    if (depth != 0) {
      throw new IllegalStateException(depth + " list(s) still open");
    }
    return Arrays.copyOf(buf, size);
  }

  /** Bytes written so far. */
  public int size() {
    return size;
  }

  private void writeHeader(int base, int len) {
    if (len <= 55) {
      ensure(1);
      buf[size++] = (byte) (base + len);
    } else {
      int n = byteLength(len);
      ensure(1 + n);
      buf[size++] = (byte) (base + 55 + n);
      putBigEndian(len, n);
    }
  }

  private void putBigEndian(long value, int n) {
    for (int i = n - 1; i >= 0; i--) {
      buf[size++] = (byte) (value >>> (8 * i));
    }
  }

  static int byteLength(long value) {
    return (64 - Long.numberOfLeadingZeros(value) + 7) / 8;
  }

  private void ensure(int extra) {
    if (size + extra > buf.length) {
      long want = Math.max((long) buf.length * 2, (long) size + extra);
      if (want > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("RLP encoding too large");
      }
      buf = Arrays.copyOf(buf, (int) want);
    }
  }
}
