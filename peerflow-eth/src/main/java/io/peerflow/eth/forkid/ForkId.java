package io.peerflow.eth.forkid;

/**
 * An EIP-2124 fork identifier: the CRC32 of the genesis hash and every fork already passed, and the
 * block number or timestamp of the next fork this node knows (0 for none). Immutable.
 *
 * @param hash the CRC32 checksum, as an unsigned 32-bit value in the low bits of an int
 * @param next the next fork's block number or timestamp, an unsigned 64-bit value; 0 if none
 */
public record ForkId(int hash, long next) {

  /** The hash as the 8 hex digits the specification writes, e.g. {@code fc64ec04}. */
  public String hashHex() {
    return String.format("%08x", hash);
  }

  @Override
  public String toString() {
    return "ForkId{hash=0x" + hashHex() + ", next=" + Long.toUnsignedString(next) + "}";
  }
}
