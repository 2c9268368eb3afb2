package io.peerflow.chain.block;

import io.peerflow.chain.Hash;
import io.peerflow.crypto.Keccak256;
import io.peerflow.rlp.RlpException;
import io.peerflow.rlp.RlpReader;
import io.peerflow.rlp.RlpWriter;
import java.util.Arrays;

/**
 * A transaction as an opaque envelope (EIP-2718): a legacy transaction's RLP list, or a typed
 * transaction's type byte followed by its payload. A downloader only needs the bytes (for the
 * transactions root and the hash), so the fields are not decoded. Immutable and thread-safe.
 */
public final class Transaction {

  private final byte[] encoding;

  private Transaction(byte[] encoding) {
    this.encoding = encoding;
  }

  /**
   * A transaction from its canonical encoding (the bytes hashed and put in the trie): an RLP list
   * for a legacy transaction, {@code type || rlp(payload)} for a typed one.
   *
   * @throws RlpException if the bytes are neither
   */
  public static Transaction of(byte[] encoding) {
    byte[] copy = encoding.clone();
    check(copy);
    return new Transaction(copy);
  }

  /**
   * Reads a transaction as it appears in a block body: a list (legacy) or a byte string (typed).
   */
  static Transaction read(RlpReader in) {
    if (in.nextIsList()) {
      return new Transaction(in.readRaw());
    }
    byte[] typed = in.readBytes();
    checkTyped(typed);
    return new Transaction(typed);
  }

  private static void check(byte[] enc) {
    if (enc.length > 0 && (enc[0] & 0xff) >= 0xc0) {
      RlpReader.single(enc).readList();
      return;
    }
    checkTyped(enc);
  }

  /**
   * Checks an EIP-2718 envelope. In a body, a string must be one: a legacy transaction wrapped in a
   * string would be written back as a bare list, and the body would no longer be what was sent.
   */
  private static void checkTyped(byte[] enc) {
    if (enc.length == 0) {
      throw new RlpException("empty transaction");
    }
    int first = enc[0] & 0xff;
    // EIP-2718 reserves types 0x00-0x7f; anything else that is not a list is garbage.
    if (first > 0x7f) {
      throw new RlpException("transaction type 0x" + Integer.toHexString(first) + " out of range");
    }
    // Type 0 is the legacy transaction, which is an RLP list and never an envelope: taken as one,
    // it would be written back as a list, and the body would no longer be what the peer sent.
    if (first == 0) {
      throw new RlpException("typed transaction of type 0x00 (legacy transactions are lists)");
    }
    if (enc.length < 2) {
      throw new RlpException("typed transaction without a payload");
    }
    RlpReader.single(Arrays.copyOfRange(enc, 1, enc.length)).readList();
  }

  void writeTo(RlpWriter w) {
    if (type() == 0) {
      w.writeRaw(encoding);
    } else {
      w.writeBytes(encoding);
    }
  }

  /** The EIP-2718 type: 0 for legacy, else the first byte of the envelope. */
  public int type() {
    int first = encoding[0] & 0xff;
    return first >= 0xc0 ? 0 : first;
  }

  /**
   * The gas limit the sender set: field 2 of a legacy transaction, 3 of an EIP-2930 one, 4 of the
   * EIP-1559, blob (EIP-4844) and set-code (EIP-7702) types, which share the fee fields' layout.
   *
   * @throws RlpException for a type whose layout is not known, or a field that is not a 64-bit
   *     integer
   */
  public long gasLimit() {
    int type = type();
    int index;
    switch (type) {
      case 0 -> index = 2;
      case 1 -> index = 3;
      case 2, 3, 4 -> index = 4;
      default ->
          throw new RlpException(
              "transaction type 0x" + Integer.toHexString(type) + " has no known gas limit field");
    }
    RlpReader fields =
        type == 0
            ? RlpReader.single(encoding).readList()
            : RlpReader.single(Arrays.copyOfRange(encoding, 1, encoding.length)).readList();
    for (int i = 0; i < index; i++) {
      fields.skip();
    }
    return fields.readLong();
  }

  /** The canonical encoding (a copy). */
  public byte[] encoding() {
    return encoding.clone();
  }

  /** Length of the canonical encoding in bytes. */
  public int size() {
    return encoding.length;
  }

  byte[] encodingUnsafe() {
    return encoding;
  }

  /** The transaction hash: keccak256 of the canonical encoding. */
  public Hash hash() {
    return Hash.of(Keccak256.hash(encoding));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Transaction t && Arrays.equals(encoding, t.encoding);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoding);
  }
}
