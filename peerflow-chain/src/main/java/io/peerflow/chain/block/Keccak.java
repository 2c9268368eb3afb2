package io.peerflow.chain.block;

import io.peerflow.chain.Hash;
import org.bouncycastle.crypto.digests.KeccakDigest;

/**
 * Ethereum's Keccak-256 (original Keccak padding, not NIST SHA3-256), the hash of every header,
 * transaction and trie node. Stateless and thread-safe: each call uses its own digest.
 */
public final class Keccak {

  /** keccak256 of the RLP of an empty list: the ommers hash of a block without ommers. */
  public static final Hash EMPTY_LIST_HASH =
      Hash.fromHex("1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");

  private Keccak() {}

  /** The Keccak-256 digest of {@code data}. */
  public static Hash hash(byte[] data) {
    return Hash.of(digest(data, 0, data.length));
  }

  /** The Keccak-256 digest of {@code len} bytes of {@code data} from {@code off}. */
  public static byte[] digest(byte[] data, int off, int len) {
    KeccakDigest d = new KeccakDigest(256);
    d.update(data, off, len);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }
}
