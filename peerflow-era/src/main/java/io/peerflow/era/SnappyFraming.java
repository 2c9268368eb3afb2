package io.peerflow.era;

import io.airlift.compress.snappy.SnappyFramedInputStream;
import io.airlift.compress.snappy.SnappyFramedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Snappy's framing format (stream identifier, then chunks of at most 64 KiB, each with a CRC-32C of
 * its uncompressed bytes), as era files compress headers, bodies and receipts. Stateless;
 * thread-safe.
 */
final class SnappyFraming {

  /**
   * The most one record may decompress to. The largest block parts seen on mainnet are a few MB;
   * go-ethereum's conformance chain has a 10.6 MB receipt list. 256 MiB leaves room for any real
   * block while a forged record (snappy expands up to about 21 times per chunk) cannot make us hold
   * gigabytes.
   */
  static final int MAX_DECOMPRESSED = 256 << 20;

  /**
   * Chunks compressed by less than one eighth are stored uncompressed, as go-ethereum's snappy
   * writer (which wrote the published files) decides; aircompressor's default would be 0.85.
   */
  private static final double MIN_COMPRESSION_RATIO = 0.875;

  private SnappyFraming() {}

  static byte[] compress(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 32);
    try (SnappyFramedOutputStream s =
        new SnappyFramedOutputStream(
            out, true, SnappyFramedOutputStream.MAX_BLOCK_SIZE, MIN_COMPRESSION_RATIO)) {
      s.write(data);
    } catch (IOException e) {
      throw new IllegalStateException("in-memory compression failed", e);
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
    try (InputStream in = new SnappyFramedInputStream(new ByteArrayInputStream(framed), true)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(framed.length * 4, 1 << 20));
      byte[] buf = new byte[64 << 10];
      long total = 0;
      for (int n; (n = in.read(buf)) > 0; ) {
        total += n;
        if (total > MAX_DECOMPRESSED) {
          throw new EraException(
              what + " decompresses to more than " + MAX_DECOMPRESSED + " bytes");
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (IOException | RuntimeException e) {
      if (e instanceof EraException ee) {
        throw ee;
      }
      throw new EraException(what + " is not valid snappy-framed data: " + e.getMessage(), e);
    }
  }
}
