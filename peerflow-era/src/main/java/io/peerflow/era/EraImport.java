package io.peerflow.era;

import io.peerflow.chain.Hash;
import io.peerflow.store.ChainStore;
import io.peerflow.store.WriteBatch;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Imports era1 and ere files into a chain store, each verified completely ({@link EraVerifier})
 * before anything of it is written: a damaged file is refused with one line and leaves the store as
 * it was. A file from the middle of history needs no parent in the store (its published SHA-256 and
 * accumulator anchor it); where the neighbouring blocks are stored, it must link to them. A file
 * already imported (recorded by name and SHA-256) is skipped.
 *
 * <p>Not thread-safe: one import runs at a time on one store.
 */
public final class EraImport {

  /** Meta-key prefix recording an imported file's SHA-256 by file name. */
  static final String IMPORTED_PREFIX = "era-imported:";

  /** Blocks per write batch: a few MB of data, few enough commits. */
  private static final int BATCH_BLOCKS = 1024;

  /** One file's outcome. */
  public record FileResult(String file, long first, long last, boolean skipped) {
    public long blocks() {
      return skipped ? 0 : last - first + 1;
    }
  }

  private final ChainStore store;
  private final String network;
  private final Hash genesisHash;
  private Path checksumsFile;

  /**
   * @param network the store's network name as era files name it (mainnet, sepolia, hoodi, or
   *     another chain's name)
   * @param genesisHash the store's genesis, which a file holding block 0 must have
   */
  public EraImport(ChainStore store, String network, Hash genesisHash) {
    this.store = store;
    this.network = network;
    this.genesisHash = genesisHash;
  }

  /** A checksums.txt to look digests up in, besides the built-in lists and one beside the files. */
  public EraImport checksums(Path file) {
    this.checksumsFile = file;
    return this;
  }

  /** The era files at {@code path}: the file itself, or a directory's era files in name order. */
  public static List<Path> files(Path path) {
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    if (!Files.isDirectory(path)) {
      throw new EraException("no such file or directory: " + path);
    }
    try (Stream<Path> s = Files.list(path)) {
      List<Path> files =
          s.filter(p -> EraFileName.matches(p.getFileName().toString())).sorted().toList();
      if (files.isEmpty()) {
        throw new EraException("no era1 or ere files in " + path);
      }
      return files;
    } catch (IOException e) {
      throw new EraException("cannot list " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Imports every era file at {@code path} (a file or a directory), in order.
   *
   * @param progress told one line per file
   * @throws EraException at the first file that cannot be imported; files before it stay imported
   */
  public List<FileResult> run(Path path, Consumer<String> progress) {
    List<FileResult> results = new ArrayList<>();
    for (Path file : files(path)) {
      FileResult r = importFile(file);
      results.add(r);
      progress.accept(
          r.skipped()
              ? r.file() + ": already imported, skipped"
              : String.format(
                  java.util.Locale.ROOT,
                  "%s: verified and imported blocks #%d..#%d",
                  r.file(),
                  r.first(),
                  r.last()));
    }
    return results;
  }

  /** Verifies and imports one file. */
  public FileResult importFile(Path file) {
    try (EraArchive archive = EraArchive.open(file)) {
      String name = file.getFileName().toString();
      EraFileName parsed = archive.name();
      if (!parsed.network().equals(network)) {
        throw new EraException(
            name + ": a file of network " + parsed.network() + ", the store holds " + network);
      }
      Optional<byte[]> done = store.meta(IMPORTED_PREFIX + name);
      if (done.isPresent()) {
        String sha = Checksums.sha256(file);
        if (new String(done.get(), StandardCharsets.US_ASCII).equals(sha)) {
          return new FileResult(name, archive.start(), archive.last(), true);
        }
      }
      EraVerifier.Verified v = EraVerifier.verify(archive, checksumLists(file));
      checkLinks(archive, v);
      store(archive, v);
      return new FileResult(name, archive.start(), archive.last(), false);
    } catch (IOException e) {
      throw new EraException(file.getFileName() + ": unreadable: " + e.getMessage(), e);
    }
  }

  private List<Checksums> checksumLists(Path file) {
    List<Checksums> lists = new ArrayList<>();
    if (checksumsFile != null) {
      lists.add(Checksums.read(checksumsFile));
    } else {
      Path beside = file.toAbsolutePath().resolveSibling(Checksums.FILE_NAME);
      if (Files.isRegularFile(beside)) {
        lists.add(Checksums.read(beside));
      }
    }
    Checksums.published(network).ifPresent(lists::add);
    return lists;
  }

  /** The file must agree with the genesis and with stored neighbours and blocks it overlaps. */
  private void checkLinks(EraArchive a, EraVerifier.Verified v) {
    String name = a.path().getFileName().toString();
    if (a.start() == 0 && !v.hashes()[0].equals(genesisHash)) {
      throw new EraException(
          name
              + ": block #0 is "
              + v.hashes()[0].toHex()
              + ", not this network's genesis "
              + genesisHash.toHex());
    }
    if (a.start() > 0) {
      Optional<Hash> parent = store.canonicalHash(a.start() - 1);
      if (parent.isPresent() && !parent.get().equals(v.firstParent())) {
        throw new EraException(
            name
                + ": block #"
                + a.start()
                + "'s parent "
                + v.firstParent().toHex()
                + " is not the stored block #"
                + (a.start() - 1)
                + " "
                + parent.get().toHex());
      }
    }
    Optional<Hash> child = store.canonicalHash(a.last() + 1);
    if (child.isPresent()) {
      Hash childParent =
          io.peerflow.chain.block.BlockHeader.decode(store.header(a.last() + 1).orElseThrow())
              .parentHash();
      if (!childParent.equals(v.hashes()[a.count() - 1])) {
        throw new EraException(
            name
                + ": block #"
                + a.last()
                + " "
                + v.hashes()[a.count() - 1].toHex()
                + " is not the parent of the stored block #"
                + (a.last() + 1));
      }
    }
    for (int i = 0; i < a.count(); i++) {
      Optional<Hash> stored = store.canonicalHash(a.start() + i);
      if (stored.isPresent() && !stored.get().equals(v.hashes()[i])) {
        throw new EraException(
            name
                + ": block #"
                + (a.start() + i)
                + " is "
                + v.hashes()[i].toHex()
                + ", the store holds "
                + stored.get().toHex());
      }
    }
  }

  private void store(EraArchive a, EraVerifier.Verified v) {
    WriteBatch batch = store.batch();
    try {
      for (int i = 0; i < a.count(); i++) {
        long n = a.start() + i;
        Hash hash = v.hashes()[i];
        batch.putHeader(n, hash, a.headerRlp(n));
        batch.putBody(n, hash, a.bodyRlp(n));
        Optional<byte[]> receipts = a.receiptsRlp(n);
        if (receipts.isPresent()) {
          batch.putReceipts(n, hash, receipts.get());
        }
        Optional<BigInteger> td = a.totalDifficulty(n);
        if (td.isPresent()) {
          batch.putTotalDifficulty(n, hash, td.get());
        }
        if ((i + 1) % BATCH_BLOCKS == 0) {
          batch.commit();
          batch.close();
          batch = store.batch();
        }
      }
      // Recorded with the last blocks: a crash before it leaves the file to be imported again.
      batch.putMeta(
          IMPORTED_PREFIX + a.path().getFileName(), v.sha256().getBytes(StandardCharsets.US_ASCII));
      batch.commit();
    } finally {
      batch.close();
    }
  }
}
