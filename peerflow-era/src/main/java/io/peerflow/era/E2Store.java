package io.peerflow.era;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * The e2store container: a sequence of records, each an 8-byte header (type as a little-endian
 * 16-bit number, data length as a little-endian 32-bit number, two reserved zero bytes) followed by
 * its data. Stateless; thread-safe.
 */
final class E2Store {

  static final int HEADER_BYTES = 8;

  // Record types as the little-endian numbers of their two type bytes, so that the bytes on disk
  // read as in the specification ([0x65, 0x32] for the version record).
  static final int VERSION = 0x3265;
  static final int COMPRESSED_HEADER = 0x0003;
  static final int COMPRESSED_BODY = 0x0004;
  static final int COMPRESSED_RECEIPTS = 0x0005;
  static final int TOTAL_DIFFICULTY = 0x0006;
  static final int ACCUMULATOR = 0x0007;
  static final int COMPRESSED_SLIM_RECEIPTS = 0x000a;
  static final int PROOF = 0x000b;
  static final int BLOCK_INDEX = 0x3266;
  static final int DYNAMIC_BLOCK_INDEX = 0x3267;

  private E2Store() {}

  /** One record's header: where it starts, its type and the length of its data. */
  record Header(long offset, int type, long length) {
    long dataOffset() {
      return offset + HEADER_BYTES;
    }

    long end() {
      return offset + HEADER_BYTES + length;
    }
  }

  /**
   * Reads the header of the record at {@code offset}, checking that the record lies inside the file
   * before anyone allocates for its data.
   */
  static Header headerAt(FileChannel ch, long size, long offset, String what) throws IOException {
    if (offset < 0 || offset + HEADER_BYTES > size) {
      throw new EraException(what + " at offset " + offset + " lies outside the file");
    }
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, b, offset);
    int type = b.getShort(0) & 0xffff;
    long length = b.getInt(2) & 0xffffffffL;
    int reserved = b.getShort(6) & 0xffff;
    if (reserved != 0) {
      throw new EraException(what + " at offset " + offset + " has non-zero reserved bytes");
    }
    if (offset + HEADER_BYTES + length > size) {
      throw new EraException(
          what + " at offset " + offset + " claims " + length + " bytes, past the end of the file");
    }
    return new Header(offset, type, length);
  }

  /** The data of a record whose header was read (and bounds-checked) by {@link #headerAt}. */
  static byte[] data(FileChannel ch, Header h) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(h.length()));
    readFully(ch, b, h.dataOffset());
    return b.array();
  }

  static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
    long p = position;
    while (b.hasRemaining()) {
      int n = ch.read(b, p);
      if (n < 0) {
        throw new EraException("file ends at offset " + p + " inside a record");
      }
      p += n;
    }
  }

  /** Writes one record; returns the number of bytes written. */
  static int write(OutputStream out, int type, byte[] data) throws IOException {
    byte[] h = new byte[HEADER_BYTES];
    h[0] = (byte) type;
    h[1] = (byte) (type >>> 8);
    int n = data.length;
    h[2] = (byte) n;
    h[3] = (byte) (n >>> 8);
    h[4] = (byte) (n >>> 16);
    h[5] = (byte) (n >>> 24);
    out.write(h);
    out.write(data);
    return HEADER_BYTES + n;
  }

  static long getLong(byte[] b, int off) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }

  static void putLong(byte[] b, int off, long v) {
    for (int i = 0; i < 8; i++) {
      b[off + i] = (byte) (v >>> (8 * i));
    }
  }

  static String typeName(int type) {
    switch (type) {
      case VERSION:
        return "version";
      case COMPRESSED_HEADER:
        return "header";
      case COMPRESSED_BODY:
        return "body";
      case COMPRESSED_RECEIPTS:
      case COMPRESSED_SLIM_RECEIPTS:
        return "receipts";
      case TOTAL_DIFFICULTY:
        return "total difficulty";
      case ACCUMULATOR:
        return "accumulator";
      case PROOF:
        return "proof";
      case BLOCK_INDEX:
      case DYNAMIC_BLOCK_INDEX:
        return "block index";
      default:
        return String.format(java.util.Locale.ROOT, "type 0x%04x", type);
    }
  }
}
