package io.peerflow.era;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockBody;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.block.BlockReceipts;
import io.peerflow.era.EraFileName.Format;
import io.peerflow.rlp.RlpException;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks an era file completely before anything of it is used: its layout record by record against
 * the block index, every header's hash and parent link, every body and receipt list against its
 * header, the total difficulties against the headers' difficulties, the accumulator against the
 * blocks and the file name, and finally the file's SHA-256 against a published or given list. Every
 * failure is one line: the file, the block where it applies, and what did not match. Stateless;
 * thread-safe.
 */
final class EraVerifier {

  /** What a verified file holds, for the import that follows. */
  record Verified(
      EraArchive archive, String sha256, Hash[] hashes, Hash firstParent, BigInteger lastTd) {}

  private EraVerifier() {}

  /**
   * Verifies {@code archive}.
   *
   * @param checksums lists to look the file's digest up in, in order: the first that names the file
   *     decides (so a list the user gives, or one beside the files, is asked before the published
   *     one: an exported file may carry a published name with other bytes)
   * @throws EraException with one line saying what did not match
   */
  static Verified verify(EraArchive archive, List<Checksums> checksums) {
    String file = archive.path().getFileName().toString();
    try {
      Verified v = verifyContent(archive);
      String sha = Checksums.sha256(archive.path());
      Checksums decider = null;
      for (Checksums list : checksums) {
        Optional<String> want = list.digest(file);
        if (want.isPresent()) {
          decider = list;
          if (!want.get().equals(sha)) {
            throw new EraException(
                file
                    + ": SHA-256 "
                    + sha
                    + " is not "
                    + want.get()
                    + " as "
                    + list.source()
                    + " says");
          }
          break;
        }
      }
      if (decider == null) {
        throw new EraException(
            file
                + ": no SHA-256 listed for it (looked in "
                + (checksums.isEmpty()
                    ? "nothing"
                    : String.join(", ", checksums.stream().map(Checksums::source).toList()))
                + "); give a checksums.txt with --checksums");
      }
      return new Verified(archive, sha, v.hashes(), v.firstParent(), v.lastTd());
    } catch (IOException e) {
      throw new EraException(file + ": unreadable: " + e.getMessage(), e);
    }
  }

  /** The content checks alone (everything but the SHA-256). */
  static Verified verifyContent(EraArchive a) throws IOException {
    String file = a.path().getFileName().toString();
    EraFileName name = a.name();
    if (a.start() != name.startBlock()) {
      throw new EraException(
          file
              + ": holds blocks from #"
              + a.start()
              + ", but its name says epoch "
              + name.epoch()
              + " (from #"
              + name.startBlock()
              + ")");
    }
    List<E2Store.Header> records = scan(a);
    if (records.isEmpty() || records.get(0).type() != E2Store.VERSION) {
      throw new EraException(file + ": does not start with a version record");
    }
    int count = a.count();
    boolean era1 = a.format() == Format.ERA1;
    int[] roleTypes = {
      E2Store.COMPRESSED_HEADER,
      E2Store.COMPRESSED_BODY,
      era1 ? E2Store.COMPRESSED_RECEIPTS : E2Store.COMPRESSED_SLIM_RECEIPTS,
      E2Store.TOTAL_DIFFICULTY,
      E2Store.PROOF
    };
    // Where each role's records are, in file order.
    long[][] at = new long[5][];
    for (int role = 0; role < 5; role++) {
      List<Long> offs = new ArrayList<>();
      for (E2Store.Header h : records) {
        if (h.type() == roleTypes[role]) {
          offs.add(h.offset());
        }
      }
      boolean expected =
          era1 ? role != EraArchive.PROOF : a.indexedOffset(0, role) >= 0 || !offs.isEmpty();
      if (!expected) {
        continue;
      }
      if (offs.size() != count) {
        throw new EraException(
            file
                + ": has "
                + offs.size()
                + " "
                + roleName(role)
                + " records for "
                + count
                + " blocks");
      }
      at[role] = offs.stream().mapToLong(Long::longValue).toArray();
    }
    if (era1) {
      // Era1 interleaves each block's records in order: header, body, receipts, difficulty.
      for (int i = 0; i < count; i++) {
        E2Store.Header h = records.get(1 + 4 * i);
        for (int role = 0; role < 4; role++) {
          E2Store.Header r = records.get(1 + 4 * i + role);
          if (r.type() != roleTypes[role]) {
            throw new EraException(
                a.where(a.start() + i)
                    + "expected its "
                    + roleName(role)
                    + " record at offset "
                    + r.offset()
                    + ", found "
                    + E2Store.typeName(r.type()));
          }
        }
        if (a.indexedOffset(i, EraArchive.HEADER) != h.offset()) {
          throw indexMismatch(a, i, EraArchive.HEADER, h.offset());
        }
      }
    } else {
      for (int role = 0; role < 5; role++) {
        if (at[role] == null) {
          continue;
        }
        for (int i = 0; i < count; i++) {
          if (a.indexedOffset(i, role) != at[role][i]) {
            throw indexMismatch(a, i, role, at[role][i]);
          }
        }
      }
    }
    Hash[] hashes = new Hash[count];
    Hash firstParent = null;
    BigInteger td = null;
    List<Hash> preMergeHashes = new ArrayList<>();
    List<BigInteger> preMergeTds = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long n = a.start() + i;
      BlockHeader header;
      try {
        header = BlockHeader.decode(a.headerRlp(n));
      } catch (RlpException | IllegalArgumentException e) {
        throw new EraException(a.where(n) + "header does not decode: " + e.getMessage(), e);
      }
      if (header.number() != n) {
        throw new EraException(a.where(n) + "the header there is of block #" + header.number());
      }
      hashes[i] = header.hash();
      if (i == 0) {
        firstParent = header.parentHash();
      } else if (!header.parentHash().equals(hashes[i - 1])) {
        throw new EraException(
            a.where(n)
                + "parent hash "
                + header.parentHash().toHex()
                + " is not the hash of block #"
                + (n - 1)
                + " ("
                + hashes[i - 1].toHex()
                + ")");
      }
      BlockBody body;
      try {
        body = BlockBody.decode(a.bodyRlp(n));
      } catch (RlpException | IllegalArgumentException e) {
        throw new EraException(a.where(n) + "body does not decode: " + e.getMessage(), e);
      }
      Optional<String> bad = body.mismatch(header);
      if (bad.isPresent()) {
        throw new EraException(a.where(n) + "body: " + bad.get());
      }
      Optional<BlockReceipts> receipts = a.receipts(n);
      if (receipts.isPresent()) {
        bad = receipts.get().mismatch(header);
        if (bad.isPresent()) {
          throw new EraException(a.where(n) + "receipts: " + bad.get());
        }
      }
      Optional<BigInteger> recorded = a.totalDifficulty(n);
      if (recorded.isPresent()) {
        BigInteger want = td == null ? null : td.add(header.difficulty());
        BigInteger got = recorded.get();
        if (want != null && !got.equals(want)) {
          throw new EraException(
              a.where(n)
                  + "total difficulty "
                  + got
                  + " is not block #"
                  + (n - 1)
                  + "'s "
                  + td
                  + " plus its difficulty "
                  + header.difficulty());
        }
        if (want == null
            && (n == 0
                ? !got.equals(header.difficulty())
                : got.compareTo(header.difficulty()) < 0)) {
          throw new EraException(
              a.where(n)
                  + "total difficulty "
                  + got
                  + " cannot follow from its difficulty "
                  + header.difficulty());
        }
        td = got;
        if (header.difficulty().signum() > 0) {
          preMergeHashes.add(hashes[i]);
          preMergeTds.add(got);
        }
      } else if (era1) {
        throw new EraException(a.where(n) + "no total difficulty");
      }
      if (era1 && header.difficulty().signum() == 0) {
        throw new EraException(a.where(n) + "is a post-merge block, which era1 files cannot hold");
      }
    }
    Optional<Hash> record = a.accumulatorRecord();
    if (!preMergeHashes.isEmpty() || record.isPresent()) {
      Hash computed = Accumulator.root(preMergeHashes, preMergeTds);
      if (record.isEmpty()) {
        if (era1) {
          throw new EraException(file + ": has no accumulator record");
        }
      } else if (!record.get().equals(computed)) {
        throw new EraException(
            file
                + ": accumulator record "
                + record.get().toHex()
                + " does not match the blocks' "
                + computed.toHex());
      }
      if (era1 && !computed.toHex().substring(2, 10).equals(name.shortHash())) {
        throw new EraException(
            file
                + ": its name says accumulator "
                + name.shortHash()
                + "…, the blocks give "
                + computed.toHex());
      }
    }
    if (!era1 && !hashes[count - 1].toHex().substring(2, 10).equals(name.shortHash())) {
      throw new EraException(
          file
              + ": its name says the last block's hash begins "
              + name.shortHash()
              + ", block #"
              + a.last()
              + " is "
              + hashes[count - 1].toHex());
    }
    return new Verified(a, null, hashes, firstParent, td);
  }

  /** The headers of every record before the block index, in file order. */
  private static List<E2Store.Header> scan(EraArchive a) throws IOException {
    List<E2Store.Header> out = new ArrayList<>();
    long pos = 0;
    String file = a.path().getFileName().toString();
    while (pos < a.indexOffset()) {
      E2Store.Header h;
      try {
        h = E2Store.headerAt(a.channel(), a.indexOffset(), pos, "record");
      } catch (EraException e) {
        throw new EraException(file + ": " + e.getMessage() + " (before the block index)", e);
      }
      out.add(h);
      pos = h.end();
    }
    return out;
  }

  private static EraException indexMismatch(EraArchive a, int i, int role, long actual) {
    return new EraException(
        a.path().getFileName()
            + ": block index: block #"
            + (a.start() + i)
            + "'s "
            + roleName(role)
            + " is indexed at offset "
            + a.indexedOffset(i, role)
            + ", but the record is at "
            + actual);
  }

  static String roleName(int role) {
    return switch (role) {
      case EraArchive.HEADER -> "header";
      case EraArchive.BODY -> "body";
      case EraArchive.RECEIPTS -> "receipts";
      case EraArchive.DIFFICULTY -> "total difficulty";
      default -> "proof";
    };
  }
}
