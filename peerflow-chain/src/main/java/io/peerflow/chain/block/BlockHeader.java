package io.peerflow.chain.block;

import io.peerflow.chain.Hash;
import io.peerflow.crypto.Keccak256;
import io.peerflow.rlp.RlpException;
import io.peerflow.rlp.RlpReader;
import io.peerflow.rlp.RlpWriter;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;

/**
 * An Ethereum block header of any fork from Frontier to Prague, with its RLP encoding and hash
 * (keccak256 of that encoding). Immutable and thread-safe.
 *
 * <p>Fields added by later forks are {@code null} when absent, and must be present in order: a
 * header with a withdrawals root has a base fee, one with a requests hash has every Cancun field.
 * That is the rule the RLP encoding itself imposes (optional fields only at the end), so a header
 * that breaks it cannot be encoded and is refused when decoded.
 */
public final class BlockHeader {

  /** Fields in a Frontier header; later forks append up to {@link #MAX_FIELDS}. */
  static final int BASE_FIELDS = 15;

  /**
   * Prague's count: base fee (London), withdrawals root (Shanghai), three Cancun, requests hash.
   */
  static final int MAX_FIELDS = 21;

  /**
   * Fields of an Amsterdam header as go-ethereum v1.17 has it (EIP-7928's block access list hash,
   * EIP-7843's slot number). Osaka and the blob-parameter forks add none; Amsterdam is not final,
   * so its headers are refused by name rather than decoded into fields that may still change.
   */
  static final int AMSTERDAM_FIELDS = 23;

  private final Hash parentHash;

  /** keccak256 of the RLP of an empty list: the ommers hash of a block without ommers. */
  public static final Hash EMPTY_OMMERS_HASH =
      Hash.fromHex("1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");

  private final Hash ommersHash;
  private final byte[] coinbase;
  private final Hash stateRoot;
  private final Hash transactionsRoot;
  private final Hash receiptsRoot;
  private final byte[] logsBloom;
  private final BigInteger difficulty;
  private final long number;
  private final long gasLimit;
  private final long gasUsed;
  private final long timestamp;
  private final byte[] extraData;
  private final Hash mixHash;
  private final byte[] nonce;
  private final BigInteger baseFee;
  private final Hash withdrawalsRoot;
  private final Long blobGasUsed;
  private final Long excessBlobGas;
  private final Hash parentBeaconRoot;
  private final Hash requestsHash;
  private final byte[] rlp;
  private final Hash hash;

  private BlockHeader(Builder b, byte[] rlp) {
    this.parentHash = Objects.requireNonNull(b.parentHash, "parentHash");
    this.ommersHash = Objects.requireNonNull(b.ommersHash, "ommersHash");
    this.coinbase = fixed(b.coinbase, 20, "coinbase");
    this.stateRoot = Objects.requireNonNull(b.stateRoot, "stateRoot");
    this.transactionsRoot = Objects.requireNonNull(b.transactionsRoot, "transactionsRoot");
    this.receiptsRoot = Objects.requireNonNull(b.receiptsRoot, "receiptsRoot");
    this.logsBloom = fixed(b.logsBloom, Bloom.BYTES, "logsBloom");
    this.difficulty = nonNegative(b.difficulty, "difficulty");
    this.number = b.number;
    this.gasLimit = b.gasLimit;
    this.gasUsed = b.gasUsed;
    this.timestamp = b.timestamp;
    this.extraData = Objects.requireNonNull(b.extraData, "extraData").clone();
    this.mixHash = Objects.requireNonNull(b.mixHash, "mixHash");
    this.nonce = fixed(b.nonce, 8, "nonce");
    this.baseFee = b.baseFee == null ? null : nonNegative(b.baseFee, "baseFee");
    this.withdrawalsRoot = b.withdrawalsRoot;
    this.blobGasUsed = b.blobGasUsed;
    this.excessBlobGas = b.excessBlobGas;
    this.parentBeaconRoot = b.parentBeaconRoot;
    this.requestsHash = b.requestsHash;
    if (number < 0 || gasLimit < 0 || gasUsed < 0 || timestamp < 0) {
      throw new IllegalArgumentException("negative number, gas or timestamp");
    }
    int optional = optionalCount();
    Object[] tail = {
      baseFee, withdrawalsRoot, blobGasUsed, excessBlobGas, parentBeaconRoot, requestsHash
    };
    for (int i = 0; i < tail.length; i++) {
      if ((i < optional) != (tail[i] != null)) {
        throw new IllegalArgumentException(
            "header fields of later forks must be set in order: field "
                + (BASE_FIELDS + i)
                + " is "
                + (tail[i] == null ? "missing" : "set")
                + " but a later one is "
                + (tail[i] == null ? "set" : "missing"));
      }
    }
    this.rlp = rlp != null ? rlp : encode();
    this.hash = Hash.of(Keccak256.hash(this.rlp));
  }

  private int optionalCount() {
    Object[] tail = {
      baseFee, withdrawalsRoot, blobGasUsed, excessBlobGas, parentBeaconRoot, requestsHash
    };
    int last = 0;
    for (int i = 0; i < tail.length; i++) {
      if (tail[i] != null) {
        last = i + 1;
      }
    }
    return last;
  }

  /** A builder for headers; every field without a default must be set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this header's fields, to derive a modified copy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.parentHash = parentHash;
    b.ommersHash = ommersHash;
    b.coinbase = coinbase;
    b.stateRoot = stateRoot;
    b.transactionsRoot = transactionsRoot;
    b.receiptsRoot = receiptsRoot;
    b.logsBloom = logsBloom;
    b.difficulty = difficulty;
    b.number = number;
    b.gasLimit = gasLimit;
    b.gasUsed = gasUsed;
    b.timestamp = timestamp;
    b.extraData = extraData;
    b.mixHash = mixHash;
    b.nonce = nonce;
    b.baseFee = baseFee;
    b.withdrawalsRoot = withdrawalsRoot;
    b.blobGasUsed = blobGasUsed;
    b.excessBlobGas = excessBlobGas;
    b.parentBeaconRoot = parentBeaconRoot;
    b.requestsHash = requestsHash;
    return b;
  }

  /**
   * Decodes one header from its RLP (exactly one list, nothing after it).
   *
   * @throws RlpException if the bytes are not a well-formed header
   */
  public static BlockHeader decode(byte[] rlp) {
    RlpReader outer = new RlpReader(rlp);
    BlockHeader h = read(outer);
    outer.requireEnd();
    return h;
  }

  /** Reads the next item of {@code in} as a header (used inside larger messages). */
  public static BlockHeader read(RlpReader in) {
    byte[] raw = in.readRaw();
    RlpReader r = RlpReader.single(raw).readList();
    int fields = r.remainingItems();
    if (fields == AMSTERDAM_FIELDS - 1 || fields == AMSTERDAM_FIELDS) {
      throw new RlpException(
          "a header of "
              + fields
              + " fields is from a fork after Prague (Amsterdam, as go-ethereum v1.17 defines it:"
              + " block access list hash and slot number), which peerflow does not decode yet");
    }
    if (fields < BASE_FIELDS || fields > MAX_FIELDS) {
      throw new RlpException("a header has 15 to 21 fields, found " + fields);
    }
    Builder b = new Builder();
    b.parentHash = Hash.of(r.readBytes(32));
    b.ommersHash = Hash.of(r.readBytes(32));
    b.coinbase = r.readBytes(20);
    b.stateRoot = Hash.of(r.readBytes(32));
    b.transactionsRoot = Hash.of(r.readBytes(32));
    b.receiptsRoot = Hash.of(r.readBytes(32));
    b.logsBloom = r.readBytes(Bloom.BYTES);
    b.difficulty = r.readBigInteger(32);
    b.number = r.readLong();
    b.gasLimit = r.readLong();
    b.gasUsed = r.readLong();
    b.timestamp = r.readLong();
    b.extraData = r.readBytes();
    b.mixHash = Hash.of(r.readBytes(32));
    b.nonce = r.readBytes(8);
    if (fields > 15) {
      b.baseFee = r.readBigInteger(32);
    }
    if (fields > 16) {
      b.withdrawalsRoot = Hash.of(r.readBytes(32));
    }
    if (fields > 17) {
      b.blobGasUsed = r.readLong();
    }
    if (fields > 18) {
      b.excessBlobGas = r.readLong();
    }
    if (fields > 19) {
      b.parentBeaconRoot = Hash.of(r.readBytes(32));
    }
    if (fields > 20) {
      b.requestsHash = Hash.of(r.readBytes(32));
    }
    r.requireEnd();
    try {
      // Keep the bytes as received: the hash a peer means is the hash of what it sent, and the
      // strict reader has already refused every non-canonical form, so they equal our encoding.
      return new BlockHeader(b, raw);
    } catch (IllegalArgumentException e) {
      throw new RlpException("invalid header: " + e.getMessage());
    }
  }

  private byte[] encode() {
    RlpWriter w = new RlpWriter(600).startList();
    w.writeBytes(parentHash.toArray())
        .writeBytes(ommersHash.toArray())
        .writeBytes(coinbase)
        .writeBytes(stateRoot.toArray())
        .writeBytes(transactionsRoot.toArray())
        .writeBytes(receiptsRoot.toArray())
        .writeBytes(logsBloom)
        .writeBigInteger(difficulty)
        .writeLong(number)
        .writeLong(gasLimit)
        .writeLong(gasUsed)
        .writeLong(timestamp)
        .writeBytes(extraData)
        .writeBytes(mixHash.toArray())
        .writeBytes(nonce);
    if (baseFee != null) {
      w.writeBigInteger(baseFee);
    }
    if (withdrawalsRoot != null) {
      w.writeBytes(withdrawalsRoot.toArray());
    }
    if (blobGasUsed != null) {
      w.writeLong(blobGasUsed);
    }
    if (excessBlobGas != null) {
      w.writeLong(excessBlobGas);
    }
    if (parentBeaconRoot != null) {
      w.writeBytes(parentBeaconRoot.toArray());
    }
    if (requestsHash != null) {
      w.writeBytes(requestsHash.toArray());
    }
    return w.endList().toByteArray();
  }

  /** keccak256 of {@link #rlp()}: the block's identity. */
  public Hash hash() {
    return hash;
  }

  /** The header's RLP encoding (a copy). */
  public byte[] rlp() {
    return rlp.clone();
  }

  /** Length of the RLP encoding in bytes, without copying it. */
  public int encodedSize() {
    return rlp.length;
  }

  /** Writes the header's RLP into {@code w} as one item. */
  public void writeTo(RlpWriter w) {
    w.writeRaw(rlp);
  }

  public Hash parentHash() {
    return parentHash;
  }

  public Hash ommersHash() {
    return ommersHash;
  }

  public byte[] coinbase() {
    return coinbase.clone();
  }

  public Hash stateRoot() {
    return stateRoot;
  }

  public Hash transactionsRoot() {
    return transactionsRoot;
  }

  public Hash receiptsRoot() {
    return receiptsRoot;
  }

  public byte[] logsBloom() {
    return logsBloom.clone();
  }

  public BigInteger difficulty() {
    return difficulty;
  }

  public long number() {
    return number;
  }

  public long gasLimit() {
    return gasLimit;
  }

  public long gasUsed() {
    return gasUsed;
  }

  public long timestamp() {
    return timestamp;
  }

  public byte[] extraData() {
    return extraData.clone();
  }

  public Hash mixHash() {
    return mixHash;
  }

  public byte[] nonce() {
    return nonce.clone();
  }

  /** London's base fee per gas, or {@code null} before London. */
  public BigInteger baseFee() {
    return baseFee;
  }

  /** Shanghai's withdrawals root, or {@code null} before Shanghai. */
  public Hash withdrawalsRoot() {
    return withdrawalsRoot;
  }

  /** Cancun's blob gas used, or {@code null} before Cancun. */
  public Long blobGasUsed() {
    return blobGasUsed;
  }

  /** Cancun's excess blob gas, or {@code null} before Cancun. */
  public Long excessBlobGas() {
    return excessBlobGas;
  }

  /** Cancun's parent beacon block root (EIP-4788), or {@code null} before Cancun. */
  public Hash parentBeaconRoot() {
    return parentBeaconRoot;
  }

  /** Prague's execution requests hash (EIP-7685), or {@code null} before Prague. */
  public Hash requestsHash() {
    return requestsHash;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlockHeader other && Arrays.equals(rlp, other.rlp);
  }

  @Override
  public int hashCode() {
    return hash.hashCode();
  }

  @Override
  public String toString() {
    return "BlockHeader{#" + number + " " + hash.toHex() + "}";
  }

  private static byte[] fixed(byte[] bytes, int length, String name) {
    Objects.requireNonNull(bytes, name);
    if (bytes.length != length) {
      throw new IllegalArgumentException(
          name + " must be " + length + " bytes, got " + bytes.length);
    }
    return bytes.clone();
  }

  private static BigInteger nonNegative(BigInteger v, String name) {
    Objects.requireNonNull(v, name);
    if (v.signum() < 0) {
      throw new IllegalArgumentException(name + " cannot be negative");
    }
    return v;
  }

  /** Collects a header's fields; not thread-safe. */
  public static final class Builder {
    private Hash parentHash = Hash.ZERO;
    private Hash ommersHash = EMPTY_OMMERS_HASH;
    private byte[] coinbase = new byte[20];
    private Hash stateRoot;
    private Hash transactionsRoot = io.peerflow.chain.trie.TrieRoot.EMPTY;
    private Hash receiptsRoot = io.peerflow.chain.trie.TrieRoot.EMPTY;
    private byte[] logsBloom = new byte[Bloom.BYTES];
    private BigInteger difficulty = BigInteger.ZERO;
    private long number;
    private long gasLimit;
    private long gasUsed;
    private long timestamp;
    private byte[] extraData = new byte[0];
    private Hash mixHash = Hash.ZERO;
    private byte[] nonce = new byte[8];
    private BigInteger baseFee;
    private Hash withdrawalsRoot;
    private Long blobGasUsed;
    private Long excessBlobGas;
    private Hash parentBeaconRoot;
    private Hash requestsHash;

    private Builder() {}

    public Builder parentHash(Hash v) {
      parentHash = v;
      return this;
    }

    public Builder ommersHash(Hash v) {
      ommersHash = v;
      return this;
    }

    public Builder coinbase(byte[] v) {
      coinbase = v;
      return this;
    }

    public Builder stateRoot(Hash v) {
      stateRoot = v;
      return this;
    }

    public Builder transactionsRoot(Hash v) {
      transactionsRoot = v;
      return this;
    }

    public Builder receiptsRoot(Hash v) {
      receiptsRoot = v;
      return this;
    }

    public Builder logsBloom(byte[] v) {
      logsBloom = v;
      return this;
    }

    public Builder difficulty(BigInteger v) {
      difficulty = v;
      return this;
    }

    public Builder number(long v) {
      number = v;
      return this;
    }

    public Builder gasLimit(long v) {
      gasLimit = v;
      return this;
    }

    public Builder gasUsed(long v) {
      gasUsed = v;
      return this;
    }

    public Builder timestamp(long v) {
      timestamp = v;
      return this;
    }

    public Builder extraData(byte[] v) {
      extraData = v;
      return this;
    }

    public Builder mixHash(Hash v) {
      mixHash = v;
      return this;
    }

    public Builder nonce(byte[] v) {
      nonce = v;
      return this;
    }

    public Builder baseFee(BigInteger v) {
      baseFee = v;
      return this;
    }

    public Builder withdrawalsRoot(Hash v) {
      withdrawalsRoot = v;
      return this;
    }

    public Builder blobGasUsed(Long v) {
      blobGasUsed = v;
      return this;
    }

    public Builder excessBlobGas(Long v) {
      excessBlobGas = v;
      return this;
    }

    public Builder parentBeaconRoot(Hash v) {
      parentBeaconRoot = v;
      return this;
    }

    public Builder requestsHash(Hash v) {
      requestsHash = v;
      return this;
    }

    /**
     * Builds the header.
     *
     * @throws IllegalArgumentException if a field is missing, has the wrong size, or a later fork's
     *     field is set while an earlier one is not
     */
    public BlockHeader build() {
      return new BlockHeader(this, null);
    }
  }
}
