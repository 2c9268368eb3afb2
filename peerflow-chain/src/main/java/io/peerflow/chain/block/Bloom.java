package io.peerflow.chain.block;

import io.peerflow.chain.Hash;
import io.peerflow.crypto.Keccak256;
import java.util.List;

/**
 * The 2048-bit logs bloom filter of receipts and headers (yellow paper, section 4.3.1): each log's
 * address and topics set three bits each. Static functions only; thread-safe.
 */
public final class Bloom {

  /** Size of a bloom in bytes. */
  public static final int BYTES = 256;

  private Bloom() {}

  /** The bloom of a list of logs. */
  public static byte[] of(List<Log> logs) {
    byte[] bloom = new byte[BYTES];
    byte[] hash = new byte[Keccak256.LENGTH];
    for (Log log : logs) {
      add(bloom, log.addressUnsafe(), hash);
      for (Hash topic : log.topics()) {
        add(bloom, topic.toArray(), hash);
      }
    }
    return bloom;
  }

  /** Sets in {@code into} every bit set in {@code bloom}. */
  public static void or(byte[] into, byte[] bloom) {
    for (int i = 0; i < BYTES; i++) {
      into[i] |= bloom[i];
    }
  }

  /** Sets the three bits of {@code value}; {@code h} is room for its hash. */
  private static void add(byte[] bloom, byte[] value, byte[] h) {
    Keccak256.digest(value, 0, value.length, h, 0);
    // Three 11-bit indices from the first three byte pairs of the hash, counted from the
    // filter's last bit (the bloom is a big-endian 2048-bit number).
    for (int i = 0; i < 6; i += 2) {
      int bit = ((h[i] & 0x07) << 8 | (h[i + 1] & 0xff));
      bloom[BYTES - 1 - bit / 8] |= (byte) (1 << (bit % 8));
    }
  }
}
