package io.peerflow.chain.block;

import io.peerflow.rlp.RlpReader;
import io.peerflow.rlp.RlpWriter;
import java.util.Objects;

/**
 * A whole block, header and body, as go-ethereum's {@code export} writes it: {@code [header,
 * transactions, ommers(, withdrawals)]}. Immutable and thread-safe.
 */
public record Block(BlockHeader header, BlockBody body) {

  public Block {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(body, "body");
  }

  /** Reads the next item of {@code in} as a block. */
  public static Block read(RlpReader in) {
    RlpReader r = in.readList();
    BlockHeader header = BlockHeader.read(r);
    BlockBody body = BlockBody.readFields(r);
    r.requireEnd();
    return new Block(header, body);
  }

  /** Decodes exactly one block. */
  public static Block decode(byte[] rlp) {
    RlpReader in = new RlpReader(rlp);
    Block b = read(in);
    in.requireEnd();
    return b;
  }

  /** The block's RLP. */
  public byte[] rlp() {
    RlpWriter w = new RlpWriter(header.encodedSize() + 1024).startList();
    header.writeTo(w);
    body.writeFields(w);
    return w.endList().toByteArray();
  }
}
