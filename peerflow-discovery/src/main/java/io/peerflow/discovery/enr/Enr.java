package io.peerflow.discovery.enr;

import io.peerflow.eth.forkid.ForkId;
import io.peerflow.rlp.RlpException;
import io.peerflow.rlp.RlpReader;
import io.peerflow.rlp.RlpWriter;
import io.peerflow.rlpx.Enode;
import io.peerflow.rlpx.NodeId;
import io.peerflow.rlpx.NodeKey;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A signed Ethereum Node Record (EIP-778) of the "v4" identity scheme; an immutable, thread-safe
 * value whose signature has been checked.
 *
 * <p>A record is a sequence number and sorted key/value pairs, signed by the node's key; the text
 * form is {@code enr:} and the RLP in URL-safe base64 without padding. Values are kept as their RLP
 * encodings, so pairs this code does not know survive a decode and re-encode byte for byte. Keys
 * are held as ISO-8859-1 strings, whose natural order is the byte order the format requires.
 */
public final class Enr {

  /** EIP-778: implementations should reject larger records. */
  public static final int MAX_SIZE = 300;

  /** The text form's prefix. */
  public static final String PREFIX = "enr:";

  /** The only identity scheme defined. */
  private static final String SCHEME_V4 = "v4";

  private static final Base64.Encoder TEXT_ENCODER = Base64.getUrlEncoder().withoutPadding();

  private final long seq;
  private final SortedMap<String, byte[]> pairs;
  private final byte[] signature;
  private final byte[] encoded;
  private final NodeId nodeId;

  private Enr(long seq, SortedMap<String, byte[]> pairs, byte[] signature, byte[] encoded) {
    this.seq = seq;
    this.pairs = pairs;
    this.signature = signature;
    this.encoded = encoded;
    byte[] compressed = value("secp256k1");
    try {
      this.nodeId = NodeId.of(IdentityV4.decompress(compressed));
    } catch (IllegalArgumentException e) {
      throw new EnrException("bad secp256k1 key: " + e.getMessage(), e);
    }
  }

  /** A builder for a new record. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Decodes and verifies a record's RLP.
   *
   * @throws EnrException saying what is wrong: size, RLP, order of keys, scheme, key, signature
   */
  public static Enr decode(byte[] rlp) {
    if (rlp.length > MAX_SIZE) {
      throw new EnrException("record of " + rlp.length + " bytes exceeds " + MAX_SIZE);
    }
    try {
      RlpReader outer = new RlpReader(rlp);
      RlpReader list = outer.readList();
      outer.requireEnd();
      byte[] signature = list.readBytes();
      long seq = readSeq(list);
      SortedMap<String, byte[]> pairs = new TreeMap<>();
      String previous = null;
      while (list.hasNext()) {
        String key = new String(list.readBytes(), StandardCharsets.ISO_8859_1);
        if (!list.hasNext()) {
          throw new EnrException("key '" + key + "' has no value");
        }
        if (previous != null && previous.compareTo(key) >= 0) {
          throw new EnrException("keys not sorted or repeated at '" + key + "'");
        }
        pairs.put(key, list.readRaw());
        previous = key;
      }
      byte[] id = pairs.get("id");
      if (id == null) {
        throw new EnrException("no identity scheme (id)");
      }
      String scheme = new String(RlpReader.single(id).readBytes(), StandardCharsets.ISO_8859_1);
      if (!scheme.equals(SCHEME_V4)) {
        throw new EnrException("unknown identity scheme '" + scheme + "'");
      }
      if (!pairs.containsKey("secp256k1")) {
        throw new EnrException("v4 record without a secp256k1 key");
      }
      Enr record = new Enr(seq, Collections.unmodifiableSortedMap(pairs), signature, rlp.clone());
      byte[] content = content(seq, pairs);
      if (!IdentityV4.verifyRecord(record.nodeId.bytes(), content, signature)) {
        throw new EnrException("signature does not match the record's key");
      }
      return record;
    } catch (RlpException e) {
      throw new EnrException("malformed record: " + e.getMessage(), e);
    }
  }

  /**
   * Parses the text form {@code enr:<base64url>} (padding tolerated) and verifies it.
   *
   * @throws EnrException naming what is wrong
   */
  public static Enr parse(String text) {
    String t = text.strip();
    if (!t.startsWith(PREFIX)) {
      throw new EnrException("a node record starts with " + PREFIX);
    }
    String body = t.substring(PREFIX.length());
    while (body.endsWith("=")) {
      body = body.substring(0, body.length() - 1);
    }
    // Four base64 characters per three bytes: a longer text cannot be a record, so no decoding.
    if (body.length() > (MAX_SIZE + 2) / 3 * 4) {
      throw new EnrException("record text longer than a " + MAX_SIZE + "-byte record");
    }
    byte[] rlp;
    try {
      rlp = Base64.getUrlDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new EnrException("record text is not URL-safe base64: " + e.getMessage(), e);
    }
    return decode(rlp);
  }

  private static long readSeq(RlpReader list) {
    java.math.BigInteger seq = list.readBigInteger(8);
    if (seq.bitLength() > 63) {
      throw new EnrException("sequence number " + seq + " above 2^63-1 is not supported");
    }
    return seq.longValue();
  }

  private static byte[] content(long seq, SortedMap<String, byte[]> pairs) {
    RlpWriter w = new RlpWriter().startList().writeLong(seq);
    writePairs(w, pairs);
    return w.endList().toByteArray();
  }

  private static void writePairs(RlpWriter w, SortedMap<String, byte[]> pairs) {
    for (Map.Entry<String, byte[]> e : pairs.entrySet()) {
      w.writeBytes(e.getKey().getBytes(StandardCharsets.ISO_8859_1)).writeRaw(e.getValue());
    }
  }

  /** The canonical RLP. */
  public byte[] encoded() {
    return encoded.clone();
  }

  /** The text form, {@code enr:…}. */
  public String text() {
    return PREFIX + TEXT_ENCODER.encodeToString(encoded);
  }

  /** The sequence number. */
  public long seq() {
    return seq;
  }

  /** The node's identity: its 64-byte public key. */
  public NodeId nodeId() {
    return nodeId;
  }

  /** The RLP encoding of the value under {@code key}, if present. */
  public Optional<byte[]> get(String key) {
    byte[] v = pairs.get(key);
    return v == null ? Optional.empty() : Optional.of(v.clone());
  }

  /** The keys present, in order. */
  public java.util.Set<String> keys() {
    return pairs.keySet();
  }

  /** The IPv4 address ({@code ip}). */
  public Optional<InetAddress> ip4() {
    return address("ip", 4);
  }

  /** The IPv6 address ({@code ip6}). */
  public Optional<InetAddress> ip6() {
    return address("ip6", 16);
  }

  /** The TCP port ({@code tcp}). */
  public OptionalInt tcp() {
    return port("tcp");
  }

  /** The UDP port ({@code udp}). */
  public OptionalInt udp() {
    return port("udp");
  }

  /**
   * The fork id of the {@code eth} entry (EIP-2124 in EIP-2364's layout: {@code [[hash, next],
   * ...]}), if the node announces one.
   *
   * @throws EnrException if the entry is there but malformed
   */
  public Optional<ForkId> ethForkId() {
    byte[] v = pairs.get("eth");
    if (v == null) {
      return Optional.empty();
    }
    try {
      RlpReader entry = RlpReader.single(v).readList();
      RlpReader id = entry.readList();
      byte[] hash = id.readBytes(4);
      long next = id.readLong();
      int h =
          ((hash[0] & 0xff) << 24)
              | ((hash[1] & 0xff) << 16)
              | ((hash[2] & 0xff) << 8)
              | (hash[3] & 0xff);
      return Optional.of(new ForkId(h, next));
    } catch (RlpException e) {
      throw new EnrException("malformed eth entry: " + e.getMessage(), e);
    }
  }

  /**
   * The record as an {@code enode} URL, for dialing: its IPv4 address (else IPv6) and TCP port, the
   * UDP port as discovery port (the TCP port when it has none).
   *
   * @throws EnrException if the record has no address or no port
   */
  public Enode toEnode() {
    InetAddress ip = ip4().or(this::ip6).orElseThrow(() -> new EnrException("record has no IP"));
    OptionalInt tcp = tcp();
    OptionalInt udp = udp();
    if (tcp.isEmpty() && udp.isEmpty()) {
      throw new EnrException("record has no TCP or UDP port");
    }
    int t = tcp.orElse(udp.getAsInt());
    return new Enode(nodeId, ip.getHostAddress(), t, udp.orElse(t));
  }

  private Optional<InetAddress> address(String key, int length) {
    byte[] v = pairs.get(key);
    if (v == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByAddress(RlpReader.single(v).readBytes(length)));
    } catch (RlpException | UnknownHostException e) {
      throw new EnrException("malformed " + key + " entry: " + e.getMessage(), e);
    }
  }

  private OptionalInt port(String key) {
    byte[] v = pairs.get(key);
    if (v == null) {
      return OptionalInt.empty();
    }
    int port;
    try {
      port = RlpReader.single(v).readInt();
    } catch (RlpException e) {
      throw new EnrException("malformed " + key + " entry: " + e.getMessage(), e);
    }
    if (port > 65535) {
      throw new EnrException(key + " port " + port + " out of range");
    }
    return OptionalInt.of(port);
  }

  private byte[] value(String key) {
    try {
      return RlpReader.single(pairs.get(key)).readBytes();
    } catch (RlpException e) {
      throw new EnrException("malformed " + key + " entry: " + e.getMessage(), e);
    }
  }

  /** Records are equal when their encodings are. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Enr && Arrays.equals(encoded, ((Enr) o).encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  /** The text form. */
  @Override
  public String toString() {
    return text();
  }

  /** Collects the pairs of a new record and signs it; not thread-safe. */
  public static final class Builder {
    private long seq = 1;
    private final SortedMap<String, byte[]> pairs = new TreeMap<>();

    private Builder() {}

    /** The sequence number (default 1); increase it whenever the record changes. */
    public Builder seq(long seq) {
      if (seq < 0) {
        throw new IllegalArgumentException("sequence number must not be negative: " + seq);
      }
      this.seq = seq;
      return this;
    }

    /** {@code ip} or {@code ip6}, by the address's family. */
    public Builder ip(InetAddress address) {
      byte[] a = address.getAddress();
      return set(a.length == 4 ? "ip" : "ip6", new RlpWriter().writeBytes(a).toByteArray());
    }

    /** The TCP port. */
    public Builder tcp(int port) {
      return set("tcp", new RlpWriter().writeLong(checkPort(port)).toByteArray());
    }

    /** The UDP port. */
    public Builder udp(int port) {
      return set("udp", new RlpWriter().writeLong(checkPort(port)).toByteArray());
    }

    /** The {@code eth} entry announcing this fork id. */
    public Builder ethForkId(ForkId forkId) {
      int h = forkId.hash();
      byte[] hash = {(byte) (h >>> 24), (byte) (h >>> 16), (byte) (h >>> 8), (byte) h};
      byte[] v =
          new RlpWriter()
              .startList()
              .startList()
              .writeBytes(hash)
              .writeLong(forkId.next())
              .endList()
              .endList()
              .toByteArray();
      return set("eth", v);
    }

    /** Any pair; {@code rlpValue} is the value's complete RLP encoding. */
    public Builder set(String key, byte[] rlpValue) {
      RlpReader.single(Objects.requireNonNull(rlpValue, "rlpValue"));
      pairs.put(key, rlpValue.clone());
      return this;
    }

    /**
     * Signs with {@code key}, adding the {@code id} and {@code secp256k1} pairs.
     *
     * @throws EnrException if the result is larger than {@link #MAX_SIZE}
     */
    public Enr sign(NodeKey key) {
      SortedMap<String, byte[]> all = new TreeMap<>(pairs);
      all.put("id", new RlpWriter().writeBytes(bytes(SCHEME_V4)).toByteArray());
      all.put(
          "secp256k1",
          new RlpWriter().writeBytes(IdentityV4.compress(key.id().bytes())).toByteArray());
      byte[] signature = IdentityV4.signRecord(key, content(seq, all));
      RlpWriter w = new RlpWriter().startList().writeBytes(signature).writeLong(seq);
      writePairs(w, all);
      byte[] encoded = w.endList().toByteArray();
      if (encoded.length > MAX_SIZE) {
        throw new EnrException("record of " + encoded.length + " bytes exceeds " + MAX_SIZE);
      }
      return new Enr(seq, Collections.unmodifiableSortedMap(all), signature, encoded);
    }

    private static byte[] bytes(String s) {
      return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static int checkPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range 0..65535: " + port);
      }
      return port;
    }
  }
}
