package io.peerflow.simulator;

import io.peerflow.chain.Hash;
import io.peerflow.peers.MessageKind;
import java.util.SplittableRandom;

/**
 * The items of one simulation: their hashes, sizes and genuine contents (a checksum standing in for
 * the data), all derived from the seed. Immutable after construction, so simulated peers and the
 * queue share it freely.
 *
 * <p>Sizes follow the kind, as on mainnet: headers about 0.6 KB with little spread; bodies and
 * receipts log-normally distributed, a median of tens of KB and a long tail of large blocks.
 * Sampling uses {@link StrictMath} so that every platform draws the same sizes from a seed.
 */
final class ItemCatalog {

  /** Median body size: a mainnet block body of recent years, transactions included. */
  static final double BODY_MEDIAN_BYTES = 24_000;

  /** Spread (sigma of the logarithm) of body sizes: most within 2x either way, some far bigger. */
  static final double BODY_SIGMA = 0.8;

  /** Median receipts size of a block; receipts vary more than bodies (logs differ wildly). */
  static final double RECEIPTS_MEDIAN_BYTES = 16_000;

  /** Spread of receipt sizes. */
  static final double RECEIPTS_SIGMA = 1.0;

  /** Largest item: a block at the gas limit filled with calldata is a couple of megabytes. */
  static final int MAX_ITEM_BYTES = 2_000_000;

  private final MessageKind kind;
  private final int[] sizes;
  private final long salt;
  private final double meanSize;

  ItemCatalog(MessageKind kind, int items, long seed) {
    this.kind = kind;
    this.sizes = new int[items];
    SplittableRandom random = new SplittableRandom(seed);
    this.salt = random.nextLong();
    long total = 0;
    for (int i = 0; i < items; i++) {
      sizes[i] = size(kind, random);
      total += sizes[i];
    }
    this.meanSize = (double) total / items;
  }

  private static int size(MessageKind kind, SplittableRandom random) {
    if (kind == MessageKind.HEADERS) {
      return 500 + random.nextInt(250);
    }
    boolean bodies = kind != MessageKind.RECEIPTS;
    double median = bodies ? BODY_MEDIAN_BYTES : RECEIPTS_MEDIAN_BYTES;
    double sigma = bodies ? BODY_SIGMA : RECEIPTS_SIGMA;
    // Box-Muller on StrictMath: the same numbers on every JVM, unlike nextGaussian's contract.
    double u1 = 1 - random.nextDouble();
    double u2 = random.nextDouble();
    double gaussian =
        StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * StrictMath.PI * u2);
    double size = median * StrictMath.exp(sigma * gaussian);
    return (int) Math.max(100, Math.min(MAX_ITEM_BYTES, size));
  }

  MessageKind kind() {
    return kind;
  }

  int count() {
    return sizes.length;
  }

  int size(int item) {
    return sizes[item];
  }

  /** Mean item size in bytes, over the whole catalog. */
  double meanSize() {
    return meanSize;
  }

  /** The item's hash: the salt, then the item number in the last four bytes. */
  Hash hash(int item) {
    byte[] b = new byte[Hash.SIZE];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (salt >>> (56 - 8 * i));
    }
    b[28] = (byte) (item >>> 24);
    b[29] = (byte) (item >>> 16);
    b[30] = (byte) (item >>> 8);
    b[31] = (byte) item;
    return Hash.of(b);
  }

  /** The item number of a hash made by {@link #hash}. */
  int item(Hash hash) {
    byte[] b = hash.toArray();
    return ((b[28] & 0xff) << 24) | ((b[29] & 0xff) << 16) | ((b[30] & 0xff) << 8) | (b[31] & 0xff);
  }

  /** The checksum of the item's genuine contents. */
  long payload(int item) {
    long z = salt + 0x9e3779b97f4a7c15L * (item + 1L);
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
