package io.peerflow.era;

import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32C;

/**
 * Snappy's framing format (a stream identifier, then chunks of at most 64 KiB of data, each with a
 * masked CRC-32C of its uncompressed bytes), as era files compress headers, bodies and receipts.
 * Stateless; thread-safe (the raw codecs are per thread).
 *
 * <p>The frames are read and written here over aircompressor's raw Snappy codec rather than through
 * its {@code SnappyFramedInputStream}/{@code OutputStream}: those allocate two 64 KiB buffers per
 * stream, and an era file is tens of thousands of streams of a few hundred bytes, which made the
 * allocation, not the decompression, the cost of reading a file (about ten times slower). Reading
 * the frames ourselves also checks every length against its chunk before allocating for it.
 */
final class SnappyFraming {

  /**
   * The most one record may decompress to. The largest block parts seen on mainnet are a few MB;
   * go-ethereum's conformance chain has a 10.6 MB receipt list. 256 MiB leaves room for any real
   * block while a forged record cannot make us hold gigabytes.
   */
  static final int MAX_DECOMPRESSED = 256 << 20;

  /** The framing format's limit on the data of one chunk. */
  private static final int MAX_CHUNK_DATA = 65536;

  /**
   * Chunks compressed by less than one eighth are stored uncompressed, as go-ethereum's snappy
   * writer (which wrote the published files) decides.
   */
  private static final double MIN_COMPRESSION_RATIO = 0.875;

  private static final byte[] STREAM_IDENTIFIER = {
    (byte) 0xff, 0x06, 0x00, 0x00, 's', 'N', 'a', 'P', 'p', 'Y'
  };
  private static final int COMPRESSED = 0x00;
  private static final int UNCOMPRESSED = 0x01;

  private static final ThreadLocal<SnappyCompressor> COMPRESSOR =
      ThreadLocal.withInitial(SnappyCompressor::new);
  private static final ThreadLocal<SnappyDecompressor> DECOMPRESSOR =
      ThreadLocal.withInitial(SnappyDecompressor::new);

  private SnappyFraming() {}

  static byte[] compress(byte[] data) {
    SnappyCompressor c = COMPRESSOR.get();
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 32);
    out.write(STREAM_IDENTIFIER, 0, STREAM_IDENTIFIER.length);
    byte[] buf = new byte[c.maxCompressedLength(Math.min(data.length, MAX_CHUNK_DATA))];
    for (int off = 0; off < data.length; off += MAX_CHUNK_DATA) {
      int len = Math.min(MAX_CHUNK_DATA, data.length - off);
      int n = c.compress(data, off, len, buf, 0, buf.length);
      boolean keep = n < len * MIN_COMPRESSION_RATIO;
      int crc = maskedCrc(data, off, len);
      int chunk = 4 + (keep ? n : len);
      out.write(keep ? COMPRESSED : UNCOMPRESSED);
      out.write(chunk);
      out.write(chunk >>> 8);
      out.write(chunk >>> 16);
      out.write(crc);
      out.write(crc >>> 8);
      out.write(crc >>> 16);
      out.write(crc >>> 24);
      if (keep) {
        out.write(buf, 0, n);
      } else {
        out.write(data, off, len);
      }
    }
    return out.toByteArray();
  }

  /**
   * Decompresses one framed stream, checking every chunk's CRC.
   *
   * @throws EraException naming {@code what} when the data is not a valid framed stream or would
   *     decompress past {@link #MAX_DECOMPRESSED}
   */
  static byte[] decompress(byte[] framed, String what) {
    if (framed.length < STREAM_IDENTIFIER.length
        || !java.util.Arrays.equals(
            framed, 0, STREAM_IDENTIFIER.length, STREAM_IDENTIFIER, 0, STREAM_IDENTIFIER.length)) {
      throw invalid(what, "no stream identifier");
    }
    // First pass: bounds, types and the total size, so that the output is allocated once.
    long total = 0;
    int pos = STREAM_IDENTIFIER.length;
    while (pos < framed.length) {
      if (pos + 4 > framed.length) {
        throw invalid(what, "chunk header cut off");
      }
      int type = framed[pos] & 0xff;
      int len =
          (framed[pos + 1] & 0xff) | (framed[pos + 2] & 0xff) << 8 | (framed[pos + 3] & 0xff) << 16;
      int body = pos + 4;
      if (body + len > framed.length) {
        throw invalid(what, "chunk of " + len + " bytes runs past the end");
      }
      if (type == COMPRESSED) {
        total += uncompressedLength(framed, body + 4, body + len, what);
      } else if (type == UNCOMPRESSED) {
        if (len < 4 || len - 4 > MAX_CHUNK_DATA) {
          throw invalid(what, "uncompressed chunk of " + len + " bytes");
        }
        total += len - 4;
      } else if (type < 0x80 && type != 0xff) {
        throw invalid(
            what, String.format(java.util.Locale.ROOT, "reserved chunk type 0x%02x", type));
      }
      if (total > MAX_DECOMPRESSED) {
        throw new EraException(what + " decompresses to more than " + MAX_DECOMPRESSED + " bytes");
      }
      pos = body + len;
    }
    byte[] out = new byte[(int) total];
    int at = 0;
    pos = STREAM_IDENTIFIER.length;
    SnappyDecompressor d = DECOMPRESSOR.get();
    while (pos < framed.length) {
      int type = framed[pos] & 0xff;
      int len =
          (framed[pos + 1] & 0xff) | (framed[pos + 2] & 0xff) << 8 | (framed[pos + 3] & 0xff) << 16;
      int body = pos + 4;
      if (type == COMPRESSED || type == UNCOMPRESSED) {
        if (len < 4) {
          throw invalid(what, "chunk without checksum");
        }
        int crc =
            (framed[body] & 0xff)
                | (framed[body + 1] & 0xff) << 8
                | (framed[body + 2] & 0xff) << 16
                | (framed[body + 3] & 0xff) << 24;
        int n;
        if (type == COMPRESSED) {
          int want = uncompressedLength(framed, body + 4, body + len, what);
          try {
            n = d.decompress(framed, body + 4, len - 4, out, at, want);
          } catch (RuntimeException e) {
            throw invalid(what, "corrupt compressed chunk (" + e.getMessage() + ")");
          }
          if (n != want) {
            throw invalid(what, "chunk decompressed to " + n + " bytes, not " + want);
          }
        } else {
          n = len - 4;
          System.arraycopy(framed, body + 4, out, at, n);
        }
        if (maskedCrc(out, at, n) != crc) {
          throw invalid(what, "checksum mismatch");
        }
        at += n;
      }
      pos = body + len;
    }
    return out;
  }

  /** A compressed chunk's declared length (a varint before the data), checked against the limit. */
  private static int uncompressedLength(byte[] b, int from, int end, String what) {
    long v = 0;
    for (int i = 0, p = from; ; i++, p++) {
      if (p >= end || i >= 5) {
        throw invalid(what, "bad length in a compressed chunk");
      }
      v |= (long) (b[p] & 0x7f) << (7 * i);
      if ((b[p] & 0x80) == 0) {
        break;
      }
    }
    if (v > MAX_CHUNK_DATA) {
      throw invalid(what, "compressed chunk claims " + v + " bytes");
    }
    return (int) v;
  }

  private static int maskedCrc(byte[] b, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(b, off, len);
    int c = (int) crc.getValue();
    // The framing format masks the CRC so that a CRC of data holding CRCs stays well distributed.
    return ((c >>> 15) | (c << 17)) + 0xa282ead8;
  }

  private static EraException invalid(String what, String why) {
    return new EraException(what + " is not valid snappy-framed data: " + why);
  }
}
