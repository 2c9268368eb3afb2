package io.peerflow.eth.wire;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockBody;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.block.BlockReceipts;
import io.peerflow.rlp.RlpException;
import io.peerflow.rlp.RlpReader;
import io.peerflow.rlp.RlpWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Codes and codecs of the eth/68 and eth/69 messages a downloader and a server exchange (devp2p
 * {@code caps/eth.md}). Decoders are strict and bounded: they refuse trailing data and answers with
 * more items than were asked. Stateless and thread-safe.
 */
public final class EthMessages {

  public static final int STATUS = 0x00;
  public static final int NEW_BLOCK_HASHES = 0x01;
  public static final int TRANSACTIONS = 0x02;
  public static final int GET_BLOCK_HEADERS = 0x03;
  public static final int BLOCK_HEADERS = 0x04;
  public static final int GET_BLOCK_BODIES = 0x05;
  public static final int BLOCK_BODIES = 0x06;
  public static final int NEW_BLOCK = 0x07;
  public static final int NEW_POOLED_TRANSACTION_HASHES = 0x08;
  public static final int GET_POOLED_TRANSACTIONS = 0x09;
  public static final int POOLED_TRANSACTIONS = 0x0a;
  public static final int GET_RECEIPTS = 0x0f;
  public static final int RECEIPTS = 0x10;
  public static final int BLOCK_RANGE_UPDATE = 0x11;

  /**
   * eth/68 uses codes 0x00..0x10; eth/69 adds BlockRangeUpdate at 0x11; eth/70 changes only the
   * receipt messages' form.
   */
  public static int messageSpace(int version) {
    return version >= 69 ? 0x12 : 0x11;
  }

  private EthMessages() {}

  /**
   * A GetBlockHeaders request: from {@code originHash} if not null, else {@code originNumber};
   * {@code amount} headers, every {@code skip + 1}-th, towards lower numbers if {@code reverse}.
   */
  public record HeadersRequest(
      long id, Hash originHash, long originNumber, long amount, long skip, boolean reverse) {

    public byte[] encode() {
      RlpWriter w = new RlpWriter(64).startList().writeUint64(id).startList();
      if (originHash != null) {
        w.writeBytes(originHash.toArray());
      } else {
        w.writeLong(originNumber);
      }
      return w.writeLong(amount)
          .writeLong(skip)
          .writeLong(reverse ? 1 : 0)
          .endList()
          .endList()
          .toByteArray();
    }

    public static HeadersRequest decode(byte[] payload) {
      RlpReader r = RlpReader.single(payload).readList();
      long id = r.readUint64();
      RlpReader q = r.readList();
      r.requireEnd();
      Hash hash = null;
      long number = 0;
      byte[] origin = q.readBytes();
      if (origin.length == 32) {
        hash = Hash.of(origin);
      } else if (origin.length <= 8) {
        number =
            saturated(new RlpReader(new RlpWriter().writeBytes(origin).toByteArray()).readUint64());
      } else {
        throw new RlpException("header request origin of " + origin.length + " bytes");
      }
      // Go's uint64 fields: a block number, amount or skip beyond 2^63 is merely out of any range
      // a chain has (go-ethereum's conformance suite asks for block 2^64-1 and expects an empty
      // answer, not a disconnect), so it saturates instead of failing the request.
      long amount = saturated(q.readUint64());
      long skip = saturated(q.readUint64());
      long reverse = q.readLong();
      if (reverse > 1) {
        throw new RlpException("reverse flag must be 0 or 1");
      }
      q.requireEnd();
      return new HeadersRequest(id, hash, number, amount, skip, reverse == 1);
    }
  }

  private static long saturated(long uint64) {
    return uint64 < 0 ? Long.MAX_VALUE : uint64;
  }

  /** A request naming blocks by hash: GetBlockBodies, GetReceipts, GetPooledTransactions. */
  public record HashesRequest(long id, List<Hash> hashes) {

    public HashesRequest {
      hashes = List.copyOf(hashes);
    }

    public byte[] encode() {
      RlpWriter w = new RlpWriter(16 + 33 * hashes.size()).startList().writeUint64(id).startList();
      for (Hash h : hashes) {
        w.writeBytes(h.toArray());
      }
      return w.endList().endList().toByteArray();
    }

    /** Decodes, reading at most {@code max} hashes (a server answers no more than that anyway). */
    public static HashesRequest decode(byte[] payload, int max) {
      RlpReader r = RlpReader.single(payload).readList();
      long id = r.readUint64();
      RlpReader list = r.readList();
      r.requireEnd();
      List<Hash> out = new ArrayList<>();
      while (list.hasNext() && out.size() < max) {
        out.add(Hash.of(list.readBytes(32)));
      }
      return new HashesRequest(id, out);
    }
  }

  /** The request id at the head of any request or response, for matching before full decoding. */
  public static long requestId(byte[] payload) {
    return RlpReader.single(payload).readList().readUint64();
  }

  /** BlockHeaders from headers already RLP-encoded (as a store keeps them). */
  public static byte[] blockHeaders(long id, List<byte[]> headerRlps) {
    return rawList(id, headerRlps);
  }

  /** BlockBodies from bodies already RLP-encoded. */
  public static byte[] blockBodies(long id, List<byte[]> bodyRlps) {
    return rawList(id, bodyRlps);
  }

  private static byte[] rawList(long id, List<byte[]> items) {
    int size = 16;
    for (byte[] b : items) {
      size += b.length;
    }
    RlpWriter w = new RlpWriter(size + 8).startList().writeUint64(id).startList();
    for (byte[] b : items) {
      w.writeRaw(b);
    }
    return w.endList().endList().toByteArray();
  }

  /** Receipts in the form of {@code version}. */
  public static byte[] receipts(int version, long id, List<BlockReceipts> lists) {
    RlpWriter w = new RlpWriter(1024).startList().writeUint64(id).startList();
    for (BlockReceipts r : lists) {
      if (version >= 69) {
        r.writeEth69(w);
      } else {
        r.writeEth68(w);
      }
    }
    return w.endList().endList().toByteArray();
  }

  /** A decoded response: its id and items. */
  public record Response<T>(long id, List<T> items) {}

  /** Decodes BlockHeaders, refusing more than {@code max} headers. */
  public static Response<BlockHeader> decodeBlockHeaders(byte[] payload, int max) {
    return decodeList(payload, max, "headers", BlockHeader::read);
  }

  /** Decodes BlockBodies, refusing more than {@code max} bodies. */
  public static Response<BlockBody> decodeBlockBodies(byte[] payload, int max) {
    return decodeList(payload, max, "bodies", BlockBody::read);
  }

  /** Decodes Receipts of {@code version}'s form, refusing more than {@code max} lists. */
  public static Response<BlockReceipts> decodeReceipts(int version, byte[] payload, int max) {
    return decodeList(
        payload,
        max,
        "receipt lists",
        version >= 69 ? BlockReceipts::readEth69 : BlockReceipts::readEth68);
  }

  /** {@code [id, [item, ...]]}, stopping at the first item beyond {@code max}. */
  private static <T> Response<T> decodeList(
      byte[] payload, int max, String what, java.util.function.Function<RlpReader, T> item) {
    RlpReader r = RlpReader.single(payload).readList();
    long id = r.readUint64();
    RlpReader list = r.readList();
    r.requireEnd();
    List<T> out = new ArrayList<>();
    while (list.hasNext()) {
      if (out.size() == max) {
        throw new RlpException("more than the " + max + " " + what + " asked for");
      }
      out.add(item.apply(list));
    }
    return new Response<>(id, out);
  }

  /** eth/69's BlockRangeUpdate: the blocks a peer serves now. */
  public record BlockRange(long earliest, long latest, Hash latestHash) {

    public byte[] encode() {
      return new RlpWriter(48)
          .startList()
          .writeLong(earliest)
          .writeLong(latest)
          .writeBytes(latestHash.toArray())
          .endList()
          .toByteArray();
    }

    public static BlockRange decode(byte[] payload) {
      RlpReader r = RlpReader.single(payload).readList();
      BlockRange b = new BlockRange(r.readLong(), r.readLong(), Hash.of(r.readBytes(32)));
      if (b.earliest > b.latest) {
        throw new RlpException("block range " + b.earliest + ".." + b.latest + " is empty");
      }
      return b;
    }
  }

  /** An empty answer of the given request id (PooledTransactions for a gossip we do not keep). */
  public static byte[] emptyList(long id) {
    return new RlpWriter(16).startList().writeUint64(id).writeEmptyList().endList().toByteArray();
  }
}
