package io.peerflow.chain.trie;

import io.peerflow.chain.Hash;
import io.peerflow.crypto.Keccak256;
import io.peerflow.rlp.RlpWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The straightforward trie root (an array per node) that {@link TrieRoot} replaced, kept as the
 * oracle its tests compare it with.
 *
 * <p>Root hashes of Merkle-Patricia tries (Ethereum yellow paper, appendix D) built in one pass
 * from a complete set of key/value pairs: the transactions, receipts and withdrawals roots of a
 * block (keys are the RLP of each item's index) and a genesis state root (keys are keccak256 of the
 * account address). Stateless and thread-safe.
 *
 * <p>Written here rather than taken from a library because a downloader only ever needs the root of
 * a set it holds entirely in memory: building the trie bottom-up over sorted keys needs no node
 * database, no updates and no deletions, which the Java trie implementations (Besu's, Tuweni's) are
 * built around and pay for.
 */
final class ReferenceTrieRoot {

  private ReferenceTrieRoot() {}

  /**
   * Root of the trie mapping {@code rlp(i)} to {@code values.get(i)}: how blocks commit to their
   * transactions, receipts and withdrawals.
   */
  public static Hash ordered(List<byte[]> values) {
    List<byte[][]> entries = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      entries.add(
          new byte[][] {nibbles(new RlpWriter(4).writeLong(i).toByteArray()), values.get(i)});
    }
    return rootOfEntries(entries);
  }

  /**
   * Root of the trie holding {@code keys[i] -> values[i]}. Keys must be distinct; their order does
   * not matter. Empty values are not allowed (a trie does not store them).
   */
  public static Hash of(List<byte[]> keys, List<byte[]> values) {
    if (keys.size() != values.size()) {
      throw new IllegalArgumentException(keys.size() + " keys but " + values.size() + " values");
    }
    List<byte[][]> entries = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      if (values.get(i).length == 0) {
        throw new IllegalArgumentException("empty value for key " + i);
      }
      entries.add(new byte[][] {nibbles(keys.get(i)), values.get(i)});
    }
    return rootOfEntries(entries);
  }

  private static Hash rootOfEntries(List<byte[][]> entries) {
    if (entries.isEmpty()) {
      return TrieRoot.EMPTY;
    }
    entries.sort((a, b) -> Arrays.compare(a[0], b[0]));
    for (int i = 1; i < entries.size(); i++) {
      if (Arrays.equals(entries.get(i - 1)[0], entries.get(i)[0])) {
        throw new IllegalArgumentException("duplicate key in trie");
      }
    }
    // The root is always hashed, even when its encoding is shorter than 32 bytes.
    return Hash.of(Keccak256.hash(encodeNode(entries, 0, entries.size(), 0)));
  }

  /**
   * RLP of the node holding entries [from, to), all of which share their first {@code depth}
   * nibbles.
   */
  private static byte[] encodeNode(List<byte[][]> entries, int from, int to, int depth) {
    byte[] first = entries.get(from)[0];
    if (to - from == 1) {
      return new RlpWriter()
          .startList()
          .writeBytes(hexPrefix(first, depth, first.length, true))
          .writeBytes(entries.get(from)[1])
          .endList()
          .toByteArray();
    }
    // Sorted keys: the prefix common to all is the one common to the first and the last.
    byte[] last = entries.get(to - 1)[0];
    int common = depth;
    while (common < first.length && common < last.length && first[common] == last[common]) {
      common++;
    }
    if (common > depth) {
      byte[] branch = encodeBranch(entries, from, to, common);
      RlpWriter w = new RlpWriter().startList().writeBytes(hexPrefix(first, depth, common, false));
      writeReference(w, branch);
      return w.endList().toByteArray();
    }
    return encodeBranch(entries, from, to, depth);
  }

  private static byte[] encodeBranch(List<byte[][]> entries, int from, int to, int depth) {
    RlpWriter w = new RlpWriter().startList();
    byte[] value = null;
    int i = from;
    // A key that ends exactly here sorts first and puts its value in the 17th slot.
    if (entries.get(i)[0].length == depth) {
      value = entries.get(i)[1];
      i++;
    }
    for (int nibble = 0; nibble < 16; nibble++) {
      int start = i;
      while (i < to && entries.get(i)[0][depth] == nibble) {
        i++;
      }
      if (start == i) {
        w.writeBytes(new byte[0]);
      } else {
        writeReference(w, encodeNode(entries, start, i, depth + 1));
      }
    }
    w.writeBytes(value == null ? new byte[0] : value);
    return w.endList().toByteArray();
  }

  /** Children shorter than a hash are embedded as they are; longer ones by their hash. */
  private static void writeReference(RlpWriter w, byte[] child) {
    if (child.length < 32) {
      w.writeRaw(child);
    } else {
      w.writeBytes(Keccak256.hash(child));
    }
  }

  /** Compact ("hex prefix") encoding of nibbles [from, to), flagged as leaf or extension. */
  private static byte[] hexPrefix(byte[] nibbles, int from, int to, boolean leaf) {
    int n = to - from;
    boolean odd = (n & 1) == 1;
    byte[] out = new byte[n / 2 + 1];
    int flag = (leaf ? 2 : 0) + (odd ? 1 : 0);
    int at = from;
    if (odd) {
      out[0] = (byte) ((flag << 4) | nibbles[at++]);
    } else {
      out[0] = (byte) (flag << 4);
    }
    for (int i = 1; i < out.length; i++) {
      out[i] = (byte) ((nibbles[at] << 4) | nibbles[at + 1]);
      at += 2;
    }
    return out;
  }

  private static byte[] nibbles(byte[] key) {
    byte[] out = new byte[key.length * 2];
    for (int i = 0; i < key.length; i++) {
      out[2 * i] = (byte) ((key[i] >> 4) & 0xf);
      out[2 * i + 1] = (byte) (key[i] & 0xf);
    }
    return out;
  }
}
