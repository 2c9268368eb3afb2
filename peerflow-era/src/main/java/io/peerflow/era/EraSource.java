package io.peerflow.era;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.source.ChainSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A folder of era1 and ere files as a chain an eth node serves, read through each file's block
 * index without importing anything. Opening reads every header once to index the blocks by hash
 * (eight bytes of each hash, 12 bytes a block; a lookup confirms the whole hash), which takes a
 * fraction of a second per file.
 *
 * <p>The files are not verified here (serving checks no more than reading does, and a peer checks
 * what it receives); verify a folder with {@code import --era} or {@link EraVerifier} first where
 * that matters. A record that turns out damaged is not served.
 *
 * <p>Thread-safe: the index is immutable after opening and the files are read with positioned
 * reads.
 */
public final class EraSource implements ChainSource, AutoCloseable {

  private final TreeMap<Long, Indexed> byStart = new TreeMap<>();

  /** One file and its blocks' hashes, sorted by their first eight bytes. */
  private record Indexed(EraArchive archive, long[] keys, int[] positions) {}

  private EraSource() {}

  /**
   * Opens every era file of {@code network} in {@code dir} (files of other networks are left alone,
   * as a directory may hold several networks' files).
   *
   * @throws EraException when there is none, a file cannot be opened or two hold the same blocks
   */
  public static EraSource open(Path dir, String network) {
    EraSource s = new EraSource();
    try {
      for (Path p : EraImport.files(dir)) {
        if (!EraFileName.parse(p.getFileName().toString()).network().equals(network)) {
          continue;
        }
        EraArchive a = EraArchive.open(p);
        Map.Entry<Long, Indexed> before = s.byStart.floorEntry(a.last());
        if (before != null && before.getValue().archive().last() >= a.start()) {
          a.close();
          throw new EraException(
              p.getFileName()
                  + ": holds blocks that "
                  + before.getValue().archive()
                  + " holds too");
        }
        s.byStart.put(a.start(), index(a));
      }
      if (s.byStart.isEmpty()) {
        throw new EraException("no era files of network " + network + " in " + dir);
      }
      return s;
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  private static Indexed index(EraArchive a) {
    int n = a.count();
    long[][] pairs = new long[n][];
    for (int i = 0; i < n; i++) {
      byte[] hash = BlockHeader.decode(a.headerRlp(a.start() + i)).hash().toArray();
      pairs[i] = new long[] {key(hash), i};
    }
    Arrays.sort(pairs, (x, y) -> Long.compare(x[0], y[0]));
    long[] keys = new long[n];
    int[] positions = new int[n];
    for (int i = 0; i < n; i++) {
      keys[i] = pairs[i][0];
      positions[i] = (int) pairs[i][1];
    }
    return new Indexed(a, keys, positions);
  }

  private static long key(byte[] hash) {
    long k = 0;
    for (int i = 0; i < 8; i++) {
      k = (k << 8) | (hash[i] & 0xff);
    }
    return k;
  }

  /** The files served, lowest first. */
  public List<EraArchive> archives() {
    List<EraArchive> out = new ArrayList<>();
    byStart.values().forEach(i -> out.add(i.archive()));
    return out;
  }

  @Override
  public BlockHeader head() {
    if (byStart.isEmpty()) {
      throw new IllegalStateException("no era files");
    }
    EraArchive last = byStart.lastEntry().getValue().archive();
    return BlockHeader.decode(last.headerRlp(last.last()));
  }

  @Override
  public long earliest() {
    return byStart.isEmpty() ? 0 : byStart.firstKey();
  }

  private Optional<EraArchive> holding(long number) {
    Map.Entry<Long, Indexed> e = byStart.floorEntry(number);
    return e != null && e.getValue().archive().holds(number)
        ? Optional.of(e.getValue().archive())
        : Optional.empty();
  }

  @Override
  public Optional<byte[]> header(long number) {
    return holding(number).flatMap(a -> read(() -> a.headerRlp(number)));
  }

  @Override
  public OptionalLong number(Hash hash) {
    byte[] h = hash.toArray();
    long k = key(h);
    for (Indexed ix : byStart.values()) {
      int i = Arrays.binarySearch(ix.keys(), k);
      if (i < 0) {
        continue;
      }
      // Equal keys sit together; walk back to the first and confirm each candidate's whole hash.
      while (i > 0 && ix.keys()[i - 1] == k) {
        i--;
      }
      for (; i < ix.keys().length && ix.keys()[i] == k; i++) {
        long n = ix.archive().start() + ix.positions()[i];
        Optional<byte[]> header = read(() -> ix.archive().headerRlp(n));
        if (header.isPresent() && BlockHeader.decode(header.get()).hash().equals(hash)) {
          return OptionalLong.of(n);
        }
      }
    }
    return OptionalLong.empty();
  }

  @Override
  public Optional<byte[]> body(Hash hash) {
    OptionalLong n = number(hash);
    return n.isEmpty()
        ? Optional.empty()
        : holding(n.getAsLong()).flatMap(a -> read(() -> a.bodyRlp(n.getAsLong())));
  }

  @Override
  public Optional<byte[]> receipts(Hash hash) {
    OptionalLong n = number(hash);
    return n.isEmpty()
        ? Optional.empty()
        : holding(n.getAsLong())
            .flatMap(a -> read(() -> a.receiptsRlp(n.getAsLong()).orElse(null)));
  }

  private interface Read {
    byte[] get();
  }

  private static Optional<byte[]> read(Read r) {
    try {
      return Optional.ofNullable(r.get());
    } catch (EraException | io.peerflow.rlp.RlpException e) {
      // A damaged record is not served; the peer asks someone else.
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    byStart.values().forEach(i -> i.archive().close());
  }
}
