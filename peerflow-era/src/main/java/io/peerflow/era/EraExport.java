package io.peerflow.era;

import io.peerflow.chain.block.Block;
import io.peerflow.chain.block.BlockBody;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.store.ChainStore;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Writes stored blocks out as era1 files (pre-merge epochs), ere files (epochs the merge or later
 * reaches) or one file of concatenated block RLP (go-ethereum's {@code export} format), with a
 * {@code checksums.txt} beside era files. Era files cover whole epochs of 8192 blocks from an epoch
 * boundary; only the last may be shorter, when it ends at the store's highest block.
 *
 * <p>Not thread-safe: one export at a time; the store may be written meanwhile by others.
 */
public final class EraExport {

  /** What to write. */
  public enum Format {
    /** Era1 for pre-merge epochs, ere for the others. */
    AUTO,
    ERA1,
    ERE,
    RLP
  }

  private final ChainStore store;
  private final String network;

  /**
   * @param network the name the files carry (mainnet, sepolia, hoodi; {@code unknown} otherwise)
   */
  public EraExport(ChainStore store, String network) {
    this.store = store;
    this.network = network;
  }

  /**
   * Exports blocks {@code [from, to]} into {@code out}.
   *
   * @return the files written
   * @throws EraException with one line when the range or the store does not allow it
   */
  public List<Path> run(Format format, long from, long to, Path out) throws IOException {
    if (from < 0 || to < from) {
      throw new EraException("--from " + from + " --to " + to + " is not a range");
    }
    long highest =
        store.highestHeader().orElseThrow(() -> new EraException("the store holds no blocks"));
    if (to > highest) {
      throw new EraException("block #" + to + " is not stored (highest: #" + highest + ")");
    }
    Files.createDirectories(out);
    if (format == Format.RLP) {
      return List.of(writeRlp(from, to, out));
    }
    int epoch = Accumulator.MAX_RECORDS;
    if (from % epoch != 0) {
      throw new EraException(
          "era files start at an epoch: --from must be a multiple of 8192, not " + from);
    }
    if ((to + 1) % epoch != 0 && to != highest) {
      throw new EraException(
          "era files hold whole epochs: --to must end one (8191, 16383, …) or be the highest"
              + " stored block #"
              + highest);
    }
    StoreBlocks blocks = new StoreBlocks(store);
    List<Path> written = new ArrayList<>();
    for (long start = from; start <= to; start += epoch) {
      int count = (int) Math.min(epoch, to - start + 1);
      BlockHeader last = BlockHeader.decode(blocks.header(start + count - 1));
      boolean preMerge = last.difficulty().signum() > 0;
      Format f = format == Format.AUTO ? (preMerge ? Format.ERA1 : Format.ERE) : format;
      if (f == Format.ERA1 && !preMerge) {
        throw new EraException(
            "block #"
                + last.number()
                + " is post-merge; era1 files hold pre-merge blocks (use --format ere)");
      }
      written.add(
          f == Format.ERA1
              ? EraWriter.writeEra1(out, network, start, count, blocks)
              : EraWriter.writeEre(out, network, start, count, blocks));
    }
    writeChecksums(out);
    return written;
  }

  /** Rewrites {@code checksums.txt} for every era file in {@code dir}. */
  private static void writeChecksums(Path dir) throws IOException {
    Map<String, String> digests = new HashMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(p -> EraFileName.matches(p.getFileName().toString())).toList()) {
        digests.put(p.getFileName().toString(), Checksums.sha256(p));
      }
    }
    Checksums.of(dir.toString(), digests).write(dir.resolve(Checksums.FILE_NAME));
  }

  private Path writeRlp(long from, long to, Path out) throws IOException {
    Path file = out.resolve(String.format(Locale.ROOT, "%s-%d-%d.rlp", network, from, to));
    StoreBlocks blocks = new StoreBlocks(store);
    try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      for (long n = from; n <= to; n++) {
        o.write(
            new Block(BlockHeader.decode(blocks.header(n)), BlockBody.decode(blocks.body(n)))
                .rlp());
      }
    }
    return file;
  }

  /** The store's blocks, total difficulty summed from a known one where it is not stored. */
  static final class StoreBlocks implements EpochBlocks {
    private final ChainStore store;
    private long tdNumber = Long.MIN_VALUE;
    private BigInteger td;

    StoreBlocks(ChainStore store) {
      this.store = store;
    }

    @Override
    public byte[] header(long n) {
      return store.header(n).orElseThrow(() -> missing("header", n));
    }

    @Override
    public byte[] body(long n) {
      return store.body(n).orElseThrow(() -> missing("body", n));
    }

    @Override
    public byte[] receipts(long n) {
      return store.receipts(n).orElseThrow(() -> missing("receipts", n));
    }

    @Override
    public Optional<BigInteger> totalDifficulty(long n) {
      Optional<BigInteger> stored = store.totalDifficulty(n);
      if (stored.isPresent()) {
        remember(n, stored.get());
        return stored;
      }
      if (tdNumber == n - 1) {
        remember(n, td.add(difficulty(n)));
        return Optional.of(td);
      }
      // Walk down to a block whose total difficulty is known (or genesis), then sum up again.
      long k = n;
      BigInteger sum = BigInteger.ZERO;
      while (true) {
        Optional<BigInteger> known = store.totalDifficulty(k);
        if (known.isPresent()) {
          sum = sum.add(known.get());
          break;
        }
        if (store.header(k).isEmpty()) {
          return Optional.empty();
        }
        sum = sum.add(difficulty(k));
        if (k == 0) {
          break;
        }
        k--;
      }
      remember(n, sum);
      return Optional.of(sum);
    }

    private void remember(long n, BigInteger value) {
      tdNumber = n;
      td = value;
    }

    private BigInteger difficulty(long n) {
      return BlockHeader.decode(header(n)).difficulty();
    }

    private static EraException missing(String what, long n) {
      return new EraException("the " + what + " of block #" + n + " is not stored");
    }
  }
}
