package io.peerflow.chain.trie;

import io.peerflow.chain.Hash;
import io.peerflow.crypto.Keccak256;
import java.util.Arrays;
import java.util.List;

/**
 * Root hashes of Merkle-Patricia tries (Ethereum yellow paper, appendix D) built in one pass from a
 * complete set of key/value pairs: the transactions, receipts and withdrawals roots of a block
 * (keys are the RLP of each item's index) and a genesis state root (keys are keccak256 of the
 * account address). Stateless and thread-safe.
 *
 * <p>Written here rather than taken from a library because a downloader only ever needs the root of
 * a set it holds entirely in memory: building the trie bottom-up over sorted keys needs no node
 * database, no updates and no deletions, which the Java trie implementations (Besu's, Tuweni's) are
 * built around and pay for.
 *
 * <p>Every node is encoded into one growing buffer per root, where a child's encoding is replaced
 * by its hash as soon as it is complete, and a leaf too long to be embedded is hashed straight from
 * its value without being copied: a block's receipts root hashes a few hundred kilobytes, and
 * building an array per node cost as much again in copies ({@code ChainDataBenchmark} in
 * peerflow-bench measures the two side by side).
 */
public final class TrieRoot {

  /** Root of the empty trie: keccak256 of the RLP empty string. */
  public static final Hash EMPTY =
      Hash.fromHex("56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");

  /** A node whose encoding is this long or longer is referred to by its hash (32 bytes). */
  private static final int HASHED = 32;

  private TrieRoot() {}

  /**
   * Root of the trie mapping {@code rlp(i)} to {@code values.get(i)}: how blocks commit to their
   * transactions, receipts and withdrawals.
   */
  public static Hash ordered(List<byte[]> values) {
    int n = values.size();
    int[] offsets = new int[n];
    int[] lengths = new int[n];
    byte[][] arrays = new byte[n][];
    for (int i = 0; i < n; i++) {
      arrays[i] = values.get(i);
      lengths[i] = arrays[i].length;
    }
    return new Builder(indexKeys(n), arrays, offsets, lengths).root();
  }

  /**
   * Root of the trie mapping {@code rlp(i)} to the {@code i}th of the values laid end to end in
   * {@code buf}: value {@code i} is {@code buf[ends[i-1] .. ends[i])}, the first starting at 0.
   */
  public static Hash ordered(byte[] buf, int[] ends) {
    int n = ends.length;
    int[] offsets = new int[n];
    int[] lengths = new int[n];
    byte[][] arrays = new byte[n][];
    for (int i = 0; i < n; i++) {
      arrays[i] = buf;
      offsets[i] = i == 0 ? 0 : ends[i - 1];
      lengths[i] = ends[i] - offsets[i];
      if (lengths[i] < 0 || ends[i] > buf.length) {
        throw new IllegalArgumentException("value " + i + " lies outside the buffer");
      }
    }
    return new Builder(indexKeys(n), arrays, offsets, lengths).root();
  }

  /**
   * Root of the trie holding {@code keys[i] -> values[i]}. Keys must be distinct; their order does
   * not matter. Empty values are not allowed (a trie does not store them).
   */
  public static Hash of(List<byte[]> keys, List<byte[]> values) {
    if (keys.size() != values.size()) {
      throw new IllegalArgumentException(keys.size() + " keys but " + values.size() + " values");
    }
    int n = keys.size();
    byte[][] nibbleKeys = new byte[n][];
    byte[][] arrays = new byte[n][];
    int[] lengths = new int[n];
    for (int i = 0; i < n; i++) {
      if (values.get(i).length == 0) {
        throw new IllegalArgumentException("empty value for key " + i);
      }
      nibbleKeys[i] = nibbles(keys.get(i));
      arrays[i] = values.get(i);
      lengths[i] = arrays[i].length;
    }
    return new Builder(nibbleKeys, arrays, new int[n], lengths).root();
  }

  /** The nibbles of {@code rlp(i)} for every index below {@code n}. */
  private static byte[][] indexKeys(int n) {
    byte[][] keys = new byte[n][];
    for (int i = 0; i < n; i++) {
      keys[i] = nibbles(rlpIndex(i));
    }
    return keys;
  }

  /** RLP of a non-negative int: a single byte below 0x80, else a length byte and big-endian. */
  private static byte[] rlpIndex(int i) {
    if (i == 0) {
      return new byte[] {(byte) 0x80};
    }
    if (i < 0x80) {
      return new byte[] {(byte) i};
    }
    int len = 4 - Integer.numberOfLeadingZeros(i) / 8;
    byte[] out = new byte[1 + len];
    out[0] = (byte) (0x80 + len);
    for (int b = 0; b < len; b++) {
      out[1 + b] = (byte) (i >>> (8 * (len - 1 - b)));
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

  /** One root's computation: the sorted entries and the buffer their nodes are encoded into. */
  private static final class Builder {
    private final byte[][] keys;
    private final byte[][] arrays;
    private final int[] offsets;
    private final int[] lengths;
    private final Integer[] order;
    private final Keccak256 sponge = new Keccak256();
    private byte[] out = new byte[1024];
    private int pos;

    Builder(byte[][] keys, byte[][] arrays, int[] offsets, int[] lengths) {
      this.keys = keys;
      this.arrays = arrays;
      this.offsets = offsets;
      this.lengths = lengths;
      this.order = new Integer[keys.length];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Arrays.compare(keys[a], keys[b]));
      for (int i = 1; i < order.length; i++) {
        if (Arrays.equals(key(i - 1), key(i))) {
          throw new IllegalArgumentException("duplicate key in trie");
        }
      }
    }

    private byte[] key(int sorted) {
      return keys[order[sorted]];
    }

    Hash root() {
      if (order.length == 0) {
        return EMPTY;
      }
      // The root is always hashed, even when its encoding is shorter than 32 bytes.
      writeNode(0, order.length, 0, false);
      return Hash.of(Keccak256.digest(out, 0, pos));
    }

    /**
     * Appends the node holding sorted entries [from, to), which share their first {@code depth}
     * nibbles: as a reference (embedded if shorter than a hash, else its hash as a string) when
     * {@code asReference}, else its whole encoding.
     */
    private void writeNode(int from, int to, int depth, boolean asReference) {
      int start = pos;
      byte[] first = key(from);
      if (to - from == 1) {
        writeLeaf(order[from], first, depth, asReference);
        return;
      }
      // Sorted keys: the prefix common to all is the one common to the first and the last.
      byte[] last = key(to - 1);
      int common = depth;
      while (common < first.length && common < last.length && first[common] == last[common]) {
        common++;
      }
      if (common == depth) {
        writeBranch(from, to, depth, asReference);
        return;
      }
      // An extension: [hex-prefix(shared nibbles), reference to the branch below them].
      writeHexPrefix(first, depth, common, false);
      writeBranch(from, to, common, true);
      closeList(start);
      if (asReference) {
        reference(start);
      }
    }

    /** Appends a branch node (a list of 16 children and a value), as a reference if asked. */
    private void writeBranch(int from, int to, int depth, boolean asReference) {
      int start = pos;
      int i = from;
      int valueEntry = -1;
      // A key that ends exactly here sorts first and puts its value in the 17th slot.
      if (key(i).length == depth) {
        valueEntry = order[i];
        i++;
      }
      for (int nibble = 0; nibble < 16; nibble++) {
        int childStart = i;
        while (i < to && key(i)[depth] == nibble) {
          i++;
        }
        if (childStart == i) {
          put((byte) 0x80);
        } else {
          writeNode(childStart, i, depth + 1, true);
        }
      }
      if (valueEntry < 0) {
        put((byte) 0x80);
      } else {
        writeString(arrays[valueEntry], offsets[valueEntry], lengths[valueEntry]);
      }
      closeList(start);
      if (asReference) {
        reference(start);
      }
    }

    /**
     * A leaf: [hex-prefix(rest of key), value]. One that will be hashed is hashed from its value
     * where it lies, its few header bytes first.
     */
    private void writeLeaf(int entry, byte[] key, int depth, boolean asReference) {
      int start = pos;
      int valueLength = lengths[entry];
      byte[] value = arrays[entry];
      int valueOffset = offsets[entry];
      int hpLength = (key.length - depth) / 2 + 1;
      int hpEncoded = hpLength == 1 && hexPrefixFirst(key, depth, true) < 0x80 ? 1 : 1 + hpLength;
      boolean single = valueLength == 1 && (value[valueOffset] & 0xff) < 0x80;
      int valueHeader = single ? 0 : headerLength(valueLength);
      int payload = hpEncoded + valueHeader + valueLength;
      int total = headerLength(payload) + payload;
      if (!asReference || total < HASHED) {
        writeListHeader(payload);
        writeHexPrefix(key, depth, key.length, true);
        writeString(value, valueOffset, valueLength);
        return;
      }
      writeListHeader(payload);
      writeHexPrefix(key, depth, key.length, true);
      if (!single) {
        // A single byte below 0x80 is its own encoding: no string header before it.
        writeHeader(0x80, valueLength);
      }
      sponge.update(out, start, pos - start);
      sponge.update(value, valueOffset, valueLength);
      pos = start;
      ensure(1 + Keccak256.LENGTH);
      out[pos++] = (byte) (0x80 + Keccak256.LENGTH);
      sponge.digest(out, pos);
      sponge.reset();
      pos += Keccak256.LENGTH;
    }

    /** Children shorter than a hash stay embedded as they are; longer ones become their hash. */
    private void reference(int start) {
      int length = pos - start;
      if (length >= HASHED) {
        // The digest is written after all of its input is read, so it may overwrite it.
        Keccak256.digest(out, start, length, out, start + 1);
        out[start] = (byte) (0x80 + Keccak256.LENGTH);
        pos = start + 1 + Keccak256.LENGTH;
      }
    }

    /** Wraps everything written since {@code start} in a list header, moving it right. */
    private void closeList(int start) {
      int payload = pos - start;
      int header = headerLength(payload);
      ensure(header);
      System.arraycopy(out, start, out, start + header, payload);
      int end = pos + header;
      pos = start;
      writeListHeader(payload);
      pos = end;
    }

    private void writeListHeader(int payload) {
      writeHeader(0xc0, payload);
    }

    private void writeString(byte[] b, int off, int len) {
      if (len == 1 && (b[off] & 0xff) < 0x80) {
        put(b[off]);
        return;
      }
      writeHeader(0x80, len);
      ensure(len);
      System.arraycopy(b, off, out, pos, len);
      pos += len;
    }

    /** An RLP header: {@code base} (0x80 string, 0xc0 list) plus the length, short or long. */
    private void writeHeader(int base, int length) {
      if (length <= 55) {
        put((byte) (base + length));
        return;
      }
      int n = 4 - Integer.numberOfLeadingZeros(length) / 8;
      ensure(1 + n);
      out[pos++] = (byte) (base + 55 + n);
      for (int i = n - 1; i >= 0; i--) {
        out[pos++] = (byte) (length >>> (8 * i));
      }
    }

    private static int headerLength(int length) {
      return length <= 55 ? 1 : 1 + 4 - Integer.numberOfLeadingZeros(length) / 8;
    }

    /** The first byte of the compact encoding of nibbles [from, end of key). */
    private static int hexPrefixFirst(byte[] nibbles, int from, boolean leaf) {
      boolean odd = ((nibbles.length - from) & 1) == 1;
      int flag = (leaf ? 2 : 0) + (odd ? 1 : 0);
      return odd ? (flag << 4) | nibbles[from] : flag << 4;
    }

    /** Compact ("hex prefix") encoding of nibbles [from, to) as a string, leaf or extension. */
    private void writeHexPrefix(byte[] nibbles, int from, int to, boolean leaf) {
      int n = to - from;
      boolean odd = (n & 1) == 1;
      int length = n / 2 + 1;
      int flag = (leaf ? 2 : 0) + (odd ? 1 : 0);
      int at = from;
      int firstByte = odd ? (flag << 4) | nibbles[at++] : flag << 4;
      if (length == 1 && firstByte < 0x80) {
        put((byte) firstByte);
        return;
      }
      writeHeader(0x80, length);
      ensure(length);
      out[pos++] = (byte) firstByte;
      for (int i = 1; i < length; i++) {
        out[pos++] = (byte) ((nibbles[at] << 4) | nibbles[at + 1]);
        at += 2;
      }
    }

    private void put(byte b) {
      ensure(1);
      out[pos++] = b;
    }

    private void ensure(int more) {
      if (pos + more > out.length) {
        out = Arrays.copyOf(out, Math.max(out.length * 2, pos + more));
      }
    }
  }
}
