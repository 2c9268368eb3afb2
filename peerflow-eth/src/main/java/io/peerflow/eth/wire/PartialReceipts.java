package io.peerflow.eth.wire;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockReceipts;
import io.peerflow.peers.Response;
import io.peerflow.rlp.RlpException;
import io.peerflow.rlp.RlpReader;
import io.peerflow.rlp.RlpWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * eth/70's receipt messages (EIP-7975, partial block receipt lists): GetReceipts with {@code
 * firstBlockReceiptIndex}, Receipts with {@code lastBlockIncomplete}, and the cut of a stored
 * receipt list into the part that fits a message. Receipts themselves keep eth/69's form. Stateless
 * and thread-safe.
 */
public final class PartialReceipts {

  private PartialReceipts() {}

  /**
   * {@code [request-id, firstBlockReceiptIndex, [blockhash, ...]]}: receipts of {@code hashes},
   * leaving out the first block's receipts before {@code firstIndex}.
   */
  public record Request(long id, long firstIndex, List<Hash> hashes) {

    public Request {
      hashes = List.copyOf(hashes);
    }

    public byte[] encode() {
      RlpWriter w =
          new RlpWriter(24 + 33 * hashes.size())
              .startList()
              .writeUint64(id)
              .writeUint64(firstIndex)
              .startList();
      for (Hash h : hashes) {
        w.writeBytes(h.toArray());
      }
      return w.endList().endList().toByteArray();
    }

    /** Decodes, reading at most {@code max} hashes (a server answers no more than that anyway). */
    public static Request decode(byte[] payload, int max) {
      RlpReader r = RlpReader.single(payload).readList();
      long id = r.readUint64();
      long first = r.readUint64();
      RlpReader list = r.readList();
      r.requireEnd();
      List<Hash> out = new ArrayList<>();
      while (list.hasNext() && out.size() < max) {
        out.add(Hash.of(list.readBytes(32)));
      }
      // A first index beyond 2^63 skips every receipt any block can have.
      return new Request(id, first < 0 ? Long.MAX_VALUE : first, out);
    }
  }

  /**
   * {@code [request-id, lastBlockIncomplete, [[receipt, ...], ...]]}: receipt lists in request
   * order; when {@code lastBlockIncomplete}, the last list holds only the first receipts of its
   * block (after any the request skipped).
   */
  public record Answer(long id, boolean lastBlockIncomplete, List<BlockReceipts> lists)
      implements Response {

    public Answer {
      lists = List.copyOf(lists);
    }

    @Override
    public int itemCount() {
      return lists.size();
    }

    /** Decodes an answer, refusing more than {@code max} lists and an incomplete empty one. */
    public static Answer decode(byte[] payload, int max) {
      RlpReader r = RlpReader.single(payload).readList();
      long id = r.readUint64();
      long flag = r.readLong();
      if (flag > 1) {
        throw new RlpException("lastBlockIncomplete must be 0 or 1, got " + flag);
      }
      RlpReader list = r.readList();
      r.requireEnd();
      List<BlockReceipts> out = new ArrayList<>();
      while (list.hasNext()) {
        if (out.size() == max) {
          throw new RlpException("more than the " + max + " receipt lists asked for");
        }
        out.add(BlockReceipts.readEth69(list));
      }
      if (flag == 1 && out.isEmpty()) {
        throw new RlpException("an empty receipts answer marked incomplete");
      }
      return new Answer(id, flag == 1, out);
    }
  }

  /** An answer from receipt lists already in eth/69's form (as a store keeps them). */
  public static byte[] encodeAnswer(long id, boolean lastBlockIncomplete, List<byte[]> rawLists) {
    int size = 24;
    for (byte[] b : rawLists) {
      size += b.length;
    }
    RlpWriter w =
        new RlpWriter(size)
            .startList()
            .writeUint64(id)
            .writeLong(lastBlockIncomplete ? 1 : 0)
            .startList();
    for (byte[] b : rawLists) {
      w.writeRaw(b);
    }
    return w.endList().endList().toByteArray();
  }

  /**
   * What of a block's receipt list goes into an answer: the encoded (partial) list and whether
   * receipts were left out at its end.
   */
  public record Cut(byte[] list, boolean incomplete) {}

  /**
   * The receipts of {@code storedList} (eth/69's form) from {@code firstIndex} on, as many as fit
   * in {@code sizeLimit} bytes of encoded list; null when not even the first of them fits, as an
   * answer must carry at least one receipt of a block it cuts.
   */
  public static Cut cut(byte[] storedList, long firstIndex, long sizeLimit) {
    RlpReader receipts = RlpReader.single(storedList).readList();
    List<byte[]> kept = new ArrayList<>();
    long bytes = 0;
    boolean incomplete = false;
    for (long i = 0; receipts.hasNext(); i++) {
      if (i < firstIndex) {
        receipts.skip();
        continue;
      }
      byte[] raw = receipts.readRaw();
      // A list header takes at most 5 bytes for any answer below 4 GiB.
      if (bytes + raw.length + 5 > sizeLimit) {
        if (kept.isEmpty()) {
          return null;
        }
        incomplete = true;
        break;
      }
      kept.add(raw);
      bytes += raw.length;
    }
    RlpWriter w = new RlpWriter((int) bytes + 8).startList();
    for (byte[] raw : kept) {
      w.writeRaw(raw);
    }
    return new Cut(w.endList().toByteArray(), incomplete);
  }
}
