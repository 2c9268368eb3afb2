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
public record BlockReceipts(List<Receipt> receipts) {

  public BlockReceipts {
    receipts = List.copyOf(receipts);
  }

  /** Root of the ordered trie of the receipts' consensus encodings. */
  public Hash root() {
    List<byte[]> values = new ArrayList<>(receipts.size());
    for (Receipt r : receipts) {
      values.add(r.consensusEncoding());
    }
    return TrieRoot.ordered(values);
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

  /** Reads one block's receipt list in eth/69's form. */
  public static BlockReceipts readEth69(RlpReader in) {
    RlpReader r = in.readList();
    List<Receipt> list = new ArrayList<>();
    while (r.hasNext()) {
      list.add(Receipt.readEth69(r));
    }
    return new BlockReceipts(list);
  }

  /** The storage form (eth/69's). */
  public byte[] rlp() {
    RlpWriter w = new RlpWriter(256);
    writeEth69(w);
    return w.toByteArray();
  }

  /** Decodes the storage form. */
  public static BlockReceipts decode(byte[] rlp) {
    RlpReader in = new RlpReader(rlp);
    BlockReceipts r = readEth69(in);
    in.requireEnd();
    return r;
  }
}
