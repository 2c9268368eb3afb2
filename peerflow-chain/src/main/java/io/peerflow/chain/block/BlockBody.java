package io.peerflow.chain.block;

import io.peerflow.chain.Hash;
import io.peerflow.chain.trie.TrieRoot;
import io.peerflow.crypto.Keccak256;
import io.peerflow.rlp.RlpException;
import io.peerflow.rlp.RlpReader;
import io.peerflow.rlp.RlpWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A block body: transactions, ommer headers and, from Shanghai on, withdrawals ({@code null}
 * before). Immutable and thread-safe.
 */
public final class BlockBody {

  private final List<Transaction> transactions;
  private final List<BlockHeader> ommers;
  private final List<Withdrawal> withdrawals;

  /** The body's RLP: the bytes as they came in when it was read, so storing it encodes nothing. */
  private final byte[] encoded;

  /**
   * @param withdrawals the withdrawals, or {@code null} for a pre-Shanghai body (which differs from
   *     an empty list: the header then has no withdrawals root)
   */
  public BlockBody(
      List<Transaction> transactions, List<BlockHeader> ommers, List<Withdrawal> withdrawals) {
    this(transactions, ommers, withdrawals, null);
  }

  private BlockBody(
      List<Transaction> transactions,
      List<BlockHeader> ommers,
      List<Withdrawal> withdrawals,
      byte[] encoded) {
    this.transactions = List.copyOf(transactions);
    this.ommers = List.copyOf(ommers);
    this.withdrawals = withdrawals == null ? null : List.copyOf(withdrawals);
    if (encoded != null) {
      this.encoded = encoded;
    } else {
      RlpWriter w = new RlpWriter(1024);
      w.startList();
      writeFields(w);
      this.encoded = w.endList().toByteArray();
    }
  }

  /**
   * A body with no transactions, ommers or withdrawals; {@code shanghai} says whether the list is
   * present.
   */
  public static BlockBody empty(boolean shanghai) {
    return new BlockBody(List.of(), List.of(), shanghai ? List.of() : null);
  }

  public List<Transaction> transactions() {
    return transactions;
  }

  public List<BlockHeader> ommers() {
    return ommers;
  }

  /** The withdrawals, or {@code null} before Shanghai. */
  public List<Withdrawal> withdrawals() {
    return withdrawals;
  }

  /** Decodes a body from its RLP {@code [txs, ommers(, withdrawals)]}. */
  public static BlockBody decode(byte[] rlp) {
    RlpReader in = new RlpReader(rlp);
    BlockBody b = read(in);
    in.requireEnd();
    return b;
  }

  /** Reads the next item of {@code in} as a body, keeping its bytes as its RLP. */
  public static BlockBody read(RlpReader in) {
    byte[] raw = in.readRaw();
    RlpReader r = RlpReader.single(raw).readList();
    BlockBody b = readFields(r, raw);
    r.requireEnd();
    return b;
  }

  /**
   * Reads the body's fields from a reader positioned on the transactions list (also used by {@link
   * Block}).
   */
  static BlockBody readFields(RlpReader r) {
    return readFields(r, null);
  }

  /** As {@link #readFields(RlpReader)}, with the body's own bytes when they are at hand. */
  private static BlockBody readFields(RlpReader r, byte[] raw) {
    RlpReader txs = r.readList();
    List<Transaction> transactions = new ArrayList<>();
    while (txs.hasNext()) {
      transactions.add(Transaction.read(txs));
    }
    RlpReader om = r.readList();
    List<BlockHeader> ommers = new ArrayList<>();
    while (om.hasNext()) {
      ommers.add(BlockHeader.read(om));
    }
    List<Withdrawal> withdrawals = null;
    if (r.hasNext()) {
      RlpReader ws = r.readList();
      withdrawals = new ArrayList<>();
      while (ws.hasNext()) {
        withdrawals.add(Withdrawal.read(ws));
      }
    }
    return new BlockBody(transactions, ommers, withdrawals, raw);
  }

  /** The body's RLP, as eth's BlockBodies message and the store carry it. */
  public byte[] rlp() {
    return encoded.clone();
  }

  /** Writes the body as one RLP list. */
  public void writeTo(RlpWriter w) {
    w.writeRaw(encoded);
  }

  void writeFields(RlpWriter w) {
    w.startList();
    for (Transaction t : transactions) {
      t.writeTo(w);
    }
    w.endList().startList();
    for (BlockHeader h : ommers) {
      h.writeTo(w);
    }
    w.endList();
    if (withdrawals != null) {
      w.startList();
      for (Withdrawal wd : withdrawals) {
        wd.writeTo(w);
      }
      w.endList();
    }
  }

  /** Root of the ordered trie of the transactions' canonical encodings. */
  public Hash transactionsRoot() {
    List<byte[]> values = new ArrayList<>(transactions.size());
    for (Transaction t : transactions) {
      values.add(t.encodingUnsafe());
    }
    return TrieRoot.ordered(values);
  }

  /** keccak256 of the RLP list of ommer headers. */
  public Hash ommersHash() {
    RlpWriter w = new RlpWriter().startList();
    for (BlockHeader h : ommers) {
      h.writeTo(w);
    }
    return Hash.of(Keccak256.hash(w.endList().toByteArray()));
  }

  /** Root of the ordered trie of withdrawals, or {@code null} before Shanghai. */
  public Hash withdrawalsRoot() {
    if (withdrawals == null) {
      return null;
    }
    List<byte[]> values = new ArrayList<>(withdrawals.size());
    for (Withdrawal w : withdrawals) {
      values.add(w.rlp());
    }
    return TrieRoot.ordered(values);
  }

  /**
   * Why this body cannot belong to {@code header}, or empty if it matches: the transactions root,
   * the ommers hash and the withdrawals root (or its absence) must all agree.
   */
  public Optional<String> mismatch(BlockHeader header) {
    if (!ommersHash().equals(header.ommersHash())) {
      return Optional.of("ommers hash does not match header #" + header.number());
    }
    Hash wr = header.withdrawalsRoot();
    if ((wr == null) != (withdrawals == null)) {
      return Optional.of(
          "withdrawals "
              + (withdrawals == null ? "missing from" : "present in")
              + " body of header #"
              + header.number());
    }
    if (wr != null && !wr.equals(withdrawalsRoot())) {
      return Optional.of("withdrawals root does not match header #" + header.number());
    }
    if (!transactionsRoot().equals(header.transactionsRoot())) {
      return Optional.of("transactions root does not match header #" + header.number());
    }
    return Optional.empty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlockBody b
        && transactions.equals(b.transactions)
        && ommers.equals(b.ommers)
        && java.util.Objects.equals(withdrawals, b.withdrawals);
  }

  @Override
  public int hashCode() {
    return transactions.hashCode() * 31 + ommers.hashCode();
  }

  @Override
  public String toString() {
    return "BlockBody{"
        + transactions.size()
        + " txs, "
        + ommers.size()
        + " ommers, "
        + (withdrawals == null ? "no" : String.valueOf(withdrawals.size()))
        + " withdrawals}";
  }

  static RlpException error(String message) {
    return new RlpException(message);
  }
}
