package io.peerflow.discovery.v4;

import io.peerflow.discovery.enr.Enr;
import io.peerflow.rlp.RlpReader;
import io.peerflow.rlp.RlpWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * The six discv4 messages (devp2p {@code discv4.md}, EIP-8, EIP-868); immutable values.
 *
 * <p>Decoding follows EIP-8: extra list elements and data after the list are ignored, the Ping
 * version is not checked. Every message carries an expiration, an absolute UNIX time in seconds,
 * except ENRResponse.
 */
public sealed interface Message {

  /** The packet type byte. */
  int type();

  /** Expiration in UNIX seconds; {@code Long.MAX_VALUE} for ENRResponse, which has none. */
  long expiration();

  /** The RLP of the packet data. */
  byte[] encode();

  /** Ping (0x01). */
  record Ping(int version, Endpoint from, Endpoint to, long expiration, OptionalLong enrSeq)
      implements Message {
    @Override
    public int type() {
      return 1;
    }

    @Override
    public byte[] encode() {
      RlpWriter w = new RlpWriter().startList().writeLong(version);
      from.write(w);
      to.write(w);
      w.writeLong(expiration);
      enrSeq.ifPresent(w::writeLong);
      return w.endList().toByteArray();
    }
  }

  /** Pong (0x02): answers the Ping whose hash it carries. */
  record Pong(Endpoint to, byte[] pingHash, long expiration, OptionalLong enrSeq)
      implements Message {
    @Override
    public int type() {
      return 2;
    }

    @Override
    public byte[] encode() {
      RlpWriter w = new RlpWriter().startList();
      to.write(w);
      w.writeBytes(pingHash).writeLong(expiration);
      enrSeq.ifPresent(w::writeLong);
      return w.endList().toByteArray();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Pong p
          && to.equals(p.to)
          && Arrays.equals(pingHash, p.pingHash)
          && expiration == p.expiration
          && enrSeq.equals(p.enrSeq);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(pingHash);
    }

    @Override
    public String toString() {
      return "Pong[to=" + to + ", expiration=" + expiration + "]";
    }
  }

  /** FindNode (0x03): asks for the nodes closest to a 64-byte public key. */
  record FindNode(byte[] target, long expiration) implements Message {
    @Override
    public int type() {
      return 3;
    }

    @Override
    public byte[] encode() {
      return new RlpWriter()
          .startList()
          .writeBytes(target)
          .writeLong(expiration)
          .endList()
          .toByteArray();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof FindNode f
          && Arrays.equals(target, f.target)
          && expiration == f.expiration;
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(target);
    }

    @Override
    public String toString() {
      return "FindNode[expiration=" + expiration + "]";
    }
  }

  /** One node of a Neighbors answer; its id is checked to be a curve point only when used. */
  record Neighbor(Endpoint endpoint, byte[] id) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Neighbor n && endpoint.equals(n.endpoint) && Arrays.equals(id, n.id);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(id);
    }

    @Override
    public String toString() {
      return "Neighbor[" + endpoint + "]";
    }
  }

  /** Neighbors (0x04): part of the answer to a FindNode. */
  record Neighbors(List<Neighbor> nodes, long expiration) implements Message {
    /** Copies the list. */
    public Neighbors {
      nodes = List.copyOf(nodes);
    }

    @Override
    public int type() {
      return 4;
    }

    @Override
    public byte[] encode() {
      RlpWriter w = new RlpWriter().startList().startList();
      for (Neighbor n : nodes) {
        byte[] ip = n.endpoint().ip().getAddress();
        w.startList()
            .writeBytes(ip)
            .writeLong(n.endpoint().udpPort())
            .writeLong(n.endpoint().tcpPort())
            .writeBytes(n.id())
            .endList();
      }
      return w.endList().writeLong(expiration).endList().toByteArray();
    }
  }

  /** ENRRequest (0x05): asks for the node's current record. */
  record EnrRequest(long expiration) implements Message {
    @Override
    public int type() {
      return 5;
    }

    @Override
    public byte[] encode() {
      return new RlpWriter().startList().writeLong(expiration).endList().toByteArray();
    }
  }

  /** ENRResponse (0x06): the record, and the hash of the request it answers. */
  record EnrResponse(byte[] requestHash, Enr record) implements Message {
    @Override
    public int type() {
      return 6;
    }

    @Override
    public long expiration() {
      return Long.MAX_VALUE;
    }

    @Override
    public byte[] encode() {
      return new RlpWriter()
          .startList()
          .writeBytes(requestHash)
          .writeRaw(record.encoded())
          .endList()
          .toByteArray();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof EnrResponse r
          && Arrays.equals(requestHash, r.requestHash)
          && record.equals(r.record);
    }

    @Override
    public int hashCode() {
      return record.hashCode();
    }

    @Override
    public String toString() {
      return "EnrResponse[" + record + "]";
    }
  }

  /**
   * Reads the data of a packet of {@code type}: the first RLP item of {@code data}, a list; what
   * follows it is ignored (EIP-8).
   *
   * @throws io.peerflow.rlp.RlpException or {@link io.peerflow.discovery.enr.EnrException} if
   *     malformed; {@link Packet#decode} turns both into a {@link PacketException}
   */
  static Message decode(int type, byte[] data, int offset) {
    RlpReader list = new RlpReader(data, offset, data.length - offset).readList();
    switch (type) {
      case 1:
        {
          int version = list.readInt();
          Endpoint from = Endpoint.read(list.readList());
          Endpoint to = Endpoint.read(list.readList());
          long expiration = readExpiration(list);
          return new Ping(version, from, to, expiration, readEnrSeq(list));
        }
      case 2:
        {
          Endpoint to = Endpoint.read(list.readList());
          byte[] hash = list.readBytes(32);
          long expiration = readExpiration(list);
          return new Pong(to, hash, expiration, readEnrSeq(list));
        }
      case 3:
        return new FindNode(list.readBytes(64), readExpiration(list));
      case 4:
        {
          RlpReader nodes = list.readList();
          List<Neighbor> out = new ArrayList<>();
          while (nodes.hasNext()) {
            RlpReader n = nodes.readList();
            byte[] ip = n.readBytes();
            int udp = Endpoint.readPort(n);
            int tcp = Endpoint.readPort(n);
            byte[] id = n.readBytes(64);
            out.add(new Neighbor(new Endpoint(Endpoint.address(ip), udp, tcp), id));
          }
          return new Neighbors(out, readExpiration(list));
        }
      case 5:
        return new EnrRequest(readExpiration(list));
      case 6:
        {
          byte[] hash = list.readBytes(32);
          return new EnrResponse(hash, Enr.decode(list.readRaw()));
        }
      default:
        throw new IllegalStateException("type checked by the caller: " + type);
    }
  }

  /** A uint64; times past 2^63 seconds are as good as never. */
  private static long readExpiration(RlpReader list) {
    java.math.BigInteger e = list.readBigInteger(8);
    return e.bitLength() > 63 ? Long.MAX_VALUE : e.longValue();
  }

  /** EIP-868's optional sequence number; anything else in its place is an ignored extra. */
  private static OptionalLong readEnrSeq(RlpReader list) {
    if (!list.hasNext() || list.nextIsList()) {
      return OptionalLong.empty();
    }
    java.math.BigInteger seq;
    try {
      seq = list.readBigInteger(8);
    } catch (io.peerflow.rlp.RlpException notAnInteger) {
      return OptionalLong.empty();
    }
    return seq.bitLength() > 63 ? OptionalLong.empty() : OptionalLong.of(seq.longValue());
  }
}
