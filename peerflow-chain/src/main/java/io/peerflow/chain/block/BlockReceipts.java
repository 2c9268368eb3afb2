package io.peerflow.chain.block;

import io.peerflow.chain.Hash;
import io.peerflow.chain.trie.TrieRoot;
import io.peerflow.rlp.RlpReader;
import io.peerflow.rlp.RlpWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The receipts of one block, in transaction order. Immutable and thread-safe.
 *
 * <p>Stored in the eth/69 form (no blooms: they are derived from the logs, and leaving them out
 * makes a receipt list about 256 bytes per receipt smaller).
 */
public final class BlockReceipts {

  private final List<Receipt> receipts;

  /** The storage form (eth/69's): the bytes as they came in when read in that form. */
  private final byte[] encoded;

  public BlockReceipts(List<Receipt> receipts) {
    this.receipts = List.copyOf(receipts);
    RlpWriter w = new RlpWriter(256);
    writeEth69(w);
    this.encoded = w.toByteArray();
  }

  private BlockReceipts(List<Receipt> receipts, byte[] encoded) {
    this.receipts = List.copyOf(receipts);
    this.encoded = encoded;
  }

  /** The receipts, in transaction order. */
  public List<Receipt> receipts() {
    return receipts;
  }

  /**
   * Root of the ordered trie of the receipts' consensus encodings, which are written end to end
   * into one buffer rather than one array each.
   */
  public Hash root() {
    RlpWriter w = new RlpWriter(encoded.length + 300 * receipts.size());
    int[] ends = new int[receipts.size()];
    for (int i = 0; i < ends.length; i++) {
      receipts.get(i).writeConsensus(w);
      ends[i] = w.size();
    }
    return TrieRoot.ordered(w.toByteArray(), ends);
  }

  /** The union of every receipt's bloom: what the header's logs bloom must be. */
  public byte[] bloom() {
    byte[] b = new byte[Bloom.BYTES];
    for (Receipt r : receipts) {
      Bloom.or(b, r.bloomUnsafe());
    }
    return b;
  }

  /** Why these receipts cannot belong to {@code header}, or empty if they match. */
  public Optional<String> mismatch(BlockHeader header) {
    if (!root().equals(header.receiptsRoot())) {
      return Optional.of("receipts root does not match header #" + header.number());
    }
    if (!Arrays.equals(bloom(), header.logsBloom())) {
      return Optional.of("logs bloom does not match header #" + header.number());
    }
    return Optional.empty();
  }

  /** Writes the list in eth/68's form (with blooms, typed receipts as strings). */
  public void writeEth68(RlpWriter w) {
    w.startList();
    for (Receipt r : receipts) {
      r.writeEth68(w);
    }
    w.endList();
  }

  /** Writes the list in eth/69's form. */
  public void writeEth69(RlpWriter w) {
    if (encoded != null) {
      w.writeRaw(encoded);
      return;
    }
    w.startList();
    for (Receipt r : receipts) {
      r.writeEth69(w);
    }
    w.endList();
  }

  /** Reads one block's receipt list in eth/68's form. */
  public static BlockReceipts readEth68(RlpReader in) {
    RlpReader r = in.readList();
    List<Receipt> list = new ArrayList<>();
    while (r.hasNext()) {
      list.add(Receipt.readEth68(r));
    }
    return new BlockReceipts(list);
  }

  /** Reads one block's receipt list in eth/69's form, keeping its bytes as the storage form. */
  public static BlockReceipts readEth69(RlpReader in) {
    byte[] raw = in.readRaw();
    RlpReader r = RlpReader.single(raw).readList();
    List<Receipt> list = new ArrayList<>();
    while (r.hasNext()) {
      list.add(Receipt.readEth69(r));
    }
    return new BlockReceipts(list, raw);
  }

  /** The storage form (eth/69's). */
  public byte[] rlp() {
    return encoded.clone();
  }

  /** Decodes the storage form. */
  public static BlockReceipts decode(byte[] rlp) {
    RlpReader in = new RlpReader(rlp);
    BlockReceipts r = readEth69(in);
    in.requireEnd();
    return r;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlockReceipts b && receipts.equals(b.receipts);
  }

  @Override
  public int hashCode() {
    return receipts.hashCode();
  }

  @Override
  public String toString() {
    return "BlockReceipts" + receipts;
  }
}
