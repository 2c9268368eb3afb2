package io.peerflow.chain.block;

import io.peerflow.rlp.RlpReader;
import io.peerflow.rlp.RlpWriter;
import java.util.Arrays;

/**
 * A validator withdrawal (EIP-4895) carried in post-Shanghai block bodies; the amount is in Gwei.
 * Immutable and thread-safe.
 */
public record Withdrawal(long index, long validatorIndex, byte[] address, long amountGwei) {

  public Withdrawal {
    if (address.length != 20) {
      throw new IllegalArgumentException(
          "withdrawal address must be 20 bytes, got " + address.length);
    }
    if (index < 0 || validatorIndex < 0 || amountGwei < 0) {
      throw new IllegalArgumentException("withdrawal fields cannot be negative");
    }
    address = address.clone();
  }

  @Override
  public byte[] address() {
    return address.clone();
  }

  /** The withdrawal's RLP, the value its trie stores. */
  public byte[] rlp() {
    RlpWriter w = new RlpWriter(64);
    writeTo(w);
    return w.toByteArray();
  }

  void writeTo(RlpWriter w) {
    w.startList()
        .writeLong(index)
        .writeLong(validatorIndex)
        .writeBytes(address)
        .writeLong(amountGwei)
        .endList();
  }

  static Withdrawal read(RlpReader in) {
    RlpReader r = in.readList();
    Withdrawal w = new Withdrawal(r.readLong(), r.readLong(), r.readBytes(20), r.readLong());
    r.requireEnd();
    return w;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Withdrawal w
        && index == w.index
        && validatorIndex == w.validatorIndex
        && amountGwei == w.amountGwei
        && Arrays.equals(address, w.address);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(index) * 31 + Long.hashCode(validatorIndex);
  }
}
