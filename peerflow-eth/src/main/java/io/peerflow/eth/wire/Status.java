package io.peerflow.eth.wire;

import io.peerflow.chain.Hash;
import io.peerflow.eth.forkid.ForkId;
import io.peerflow.rlp.RlpException;
import io.peerflow.rlp.RlpReader;
import io.peerflow.rlp.RlpWriter;
import java.math.BigInteger;

/**
 * The eth Status message, both forms: eth/68's {@code [version, networkid, td, blockhash, genesis,
 * forkid]} and eth/69's {@code [version, networkid, genesis, forkid, earliest, latest,
 * latesthash]}. Immutable.
 *
 * @param version the protocol version
 * @param networkId the network id
 * @param totalDifficulty eth/68 only (zero in eth/69)
 * @param head the head block's hash (eth/68 blockhash, eth/69 latest block hash)
 * @param genesis the genesis hash
 * @param forkId the EIP-2124 fork id
 * @param earliest eth/69: the lowest block the peer serves (0 in eth/68)
 * @param latest eth/69: the head block's number (-1 in eth/68, which does not announce it)
 */
public record Status(
    int version,
    long networkId,
    BigInteger totalDifficulty,
    Hash head,
    Hash genesis,
    ForkId forkId,
    long earliest,
    long latest) {

  /** Largest total difficulty accepted: mainnet's is under 2^80, so 32 bytes is generous. */
  static final int MAX_TD_BYTES = 32;

  /** The RLP payload for its version. */
  public byte[] encode() {
    RlpWriter w = new RlpWriter(160).startList().writeLong(version).writeLong(networkId);
    if (version >= 69) {
      w.writeBytes(genesis.toArray());
      writeForkId(w);
      w.writeLong(earliest).writeLong(latest).writeBytes(head.toArray());
    } else {
      w.writeBigInteger(totalDifficulty).writeBytes(head.toArray()).writeBytes(genesis.toArray());
      writeForkId(w);
    }
    return w.endList().toByteArray();
  }

  private void writeForkId(RlpWriter w) {
    byte[] h = {
      (byte) (forkId.hash() >>> 24),
      (byte) (forkId.hash() >>> 16),
      (byte) (forkId.hash() >>> 8),
      (byte) forkId.hash()
    };
    w.startList().writeBytes(h).writeLong(forkId.next()).endList();
  }

  /** Decodes a Status of the negotiated {@code version}. */
  public static Status decode(int version, byte[] payload) {
    RlpReader r = RlpReader.single(payload).readList();
    int v = r.readInt();
    long network = r.readLong();
    Status s;
    if (version >= 69) {
      Hash genesis = Hash.of(r.readBytes(32));
      ForkId fid = readForkId(r);
      long earliest = r.readLong();
      long latest = r.readLong();
      Hash head = Hash.of(r.readBytes(32));
      if (earliest > latest) {
        throw new RlpException("status block range " + earliest + ".." + latest + " is empty");
      }
      s = new Status(v, network, BigInteger.ZERO, head, genesis, fid, earliest, latest);
    } else {
      BigInteger td = r.readBigInteger(MAX_TD_BYTES);
      Hash head = Hash.of(r.readBytes(32));
      Hash genesis = Hash.of(r.readBytes(32));
      ForkId fid = readForkId(r);
      s = new Status(v, network, td, head, genesis, fid, 0, -1);
    }
    // Later versions may append fields; eth.md asks receivers to ignore them.
    return s;
  }

  private static ForkId readForkId(RlpReader r) {
    RlpReader f = r.readList();
    byte[] h = f.readBytes(4);
    long next = f.readLong();
    return new ForkId(
        (h[0] & 0xff) << 24 | (h[1] & 0xff) << 16 | (h[2] & 0xff) << 8 | (h[3] & 0xff), next);
  }
}
