package io.peerflow.chain.block;

import io.peerflow.chain.Hash;
import io.peerflow.rlp.RlpException;
import io.peerflow.rlp.RlpReader;
import io.peerflow.rlp.RlpWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One log entry of a receipt: the emitting contract, up to four topics and opaque data. Immutable
 * and thread-safe (arrays are copied in and out).
 */
public record Log(byte[] address, List<Hash> topics, byte[] data) {

  /** The EVM's LOG0..LOG4 take at most four topics; more means a malformed receipt. */
  static final int MAX_TOPICS = 4;

  public Log {
    Objects.requireNonNull(address, "address");
    if (address.length != 20) {
      throw new IllegalArgumentException("log address must be 20 bytes, got " + address.length);
    }
    if (topics.size() > MAX_TOPICS) {
      throw new IllegalArgumentException("a log has at most 4 topics, got " + topics.size());
    }
    address = address.clone();
    topics = List.copyOf(topics);
    data = data.clone();
  }

  /** The address itself, not a copy: for this package's readers, which do not change it. */
  byte[] addressUnsafe() {
    return address;
  }

  @Override
  public byte[] address() {
    return address.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  void writeTo(RlpWriter w) {
    w.startList().writeBytes(address).startList();
    for (Hash t : topics) {
      w.writeBytes(t.toArray());
    }
    w.endList().writeBytes(data).endList();
  }

  static Log read(RlpReader in) {
    RlpReader r = in.readList();
    byte[] address = r.readBytes(20);
    RlpReader t = r.readList();
    List<Hash> topics = new ArrayList<>(4);
    while (t.hasNext()) {
      if (topics.size() == MAX_TOPICS) {
        throw new RlpException("a log has at most 4 topics");
      }
      topics.add(Hash.of(t.readBytes(32)));
    }
    byte[] data = r.readBytes();
    r.requireEnd();
    return new Log(address, topics, data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Log l
        && Arrays.equals(address, l.address)
        && topics.equals(l.topics)
        && Arrays.equals(data, l.data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(address) * 31 + topics.hashCode();
  }
}
