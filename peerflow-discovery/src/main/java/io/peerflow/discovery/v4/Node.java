package io.peerflow.discovery.v4;

import io.peerflow.discovery.enr.Enr;
import io.peerflow.discovery.enr.EnrException;
import io.peerflow.discovery.enr.IdentityV4;
import io.peerflow.rlpx.Enode;
import io.peerflow.rlpx.NodeId;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * A node discovery knows of: its identity, its endpoint, and its signed record once one has been
 * seen; immutable and thread-safe.
 *
 * <p>Its position in the Kademlia space is Keccak-256 of its id, computed once here.
 */
public final class Node {

  private final NodeId id;
  private final Endpoint endpoint;
  private final byte[] hash;
  private final Enr record;

  private Node(NodeId id, Endpoint endpoint, Enr record) {
    this.id = id;
    this.endpoint = endpoint;
    this.record = record;
    this.hash = IdentityV4.keccak(id.bytes());
  }

  /** A node known by id and endpoint only. */
  public static Node of(NodeId id, Endpoint endpoint) {
    return new Node(id, endpoint, null);
  }

  /**
   * A node from its record, which must name an IP and a UDP port (the TCP port defaults to 0).
   *
   * @throws EnrException if it has no IP or UDP port
   */
  public static Node of(Enr record) {
    InetAddress ip =
        record.ip4().or(record::ip6).orElseThrow(() -> new EnrException("record has no IP"));
    int udp = record.udp().orElseThrow(() -> new EnrException("record has no UDP port"));
    return new Node(record.nodeId(), new Endpoint(ip, udp, record.tcp().orElse(0)), record);
  }

  /**
   * A node from an {@code enode://} URL or an {@code enr:} record, the two forms a bootnode is
   * given in. The enode's host must be an IP address: discovery never resolves names.
   *
   * @throws IllegalArgumentException naming the URL and what is wrong with it
   */
  public static Node parse(String url) {
    String u = url.strip();
    if (u.startsWith(Enr.PREFIX)) {
      try {
        return of(Enr.parse(u));
      } catch (EnrException e) {
        throw new IllegalArgumentException("invalid node record '" + u + "': " + e.getMessage(), e);
      }
    }
    Enode enode = Enode.parse(u);
    InetAddress ip;
    try {
      ip = literal(enode.host());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          "invalid bootnode '" + u + "': the host must be an IP address, not a name", e);
    }
    return new Node(enode.id(), new Endpoint(ip, enode.discoveryPort(), enode.tcpPort()), null);
  }

  private static InetAddress literal(String host) throws UnknownHostException {
    if (host.indexOf(':') < 0 && !host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
      throw new UnknownHostException(host);
    }
    return InetAddress.getByName(host);
  }

  /** This node with its record attached (its endpoint then comes from the record). */
  Node withRecord(Enr enr) {
    if (!enr.nodeId().equals(id)) {
      throw new IllegalArgumentException("record of another node");
    }
    try {
      Node fromRecord = of(enr);
      return new Node(id, fromRecord.endpoint, enr);
    } catch (EnrException noEndpoint) {
      return new Node(id, endpoint, enr);
    }
  }

  /** The node's identity. */
  public NodeId id() {
    return id;
  }

  /** Where it answers discovery, and its TCP port if known (0 if not). */
  public Endpoint endpoint() {
    return endpoint;
  }

  /** Its signed record, if one has been seen. */
  public Optional<Enr> record() {
    return Optional.ofNullable(record);
  }

  /** Keccak-256 of the id: the node's position in the Kademlia space. */
  byte[] hash() {
    return hash;
  }

  /**
   * The enode URL to dial, if it has a TCP port.
   *
   * @throws IllegalStateException if the TCP port is unknown
   */
  public Enode enode() {
    if (endpoint.tcpPort() == 0) {
      throw new IllegalStateException("node " + id.shortHex() + " has no TCP port");
    }
    return new Enode(id, endpoint.ip().getHostAddress(), endpoint.tcpPort(), endpoint.udpPort());
  }

  /** The log distance of two positions: 256 minus the leading zero bits of their XOR. */
  static int logDistance(byte[] a, byte[] b) {
    for (int i = 0; i < a.length; i++) {
      int x = (a[i] ^ b[i]) & 0xff;
      if (x != 0) {
        return (a.length - i) * 8 - (Integer.numberOfLeadingZeros(x) - 24);
      }
    }
    return 0;
  }

  /**
   * Compares the distances of {@code a} and {@code b} to {@code target}: negative if a is closer.
   */
  static int compareDistance(byte[] target, byte[] a, byte[] b) {
    for (int i = 0; i < target.length; i++) {
      int da = (a[i] ^ target[i]) & 0xff;
      int db = (b[i] ^ target[i]) & 0xff;
      if (da != db) {
        return Integer.compare(da, db);
      }
    }
    return 0;
  }

  /** Nodes are equal when ids and endpoints are. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Node n && id.equals(n.id) && endpoint.equals(n.endpoint);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hash);
  }

  @Override
  public String toString() {
    return id.shortHex() + "@" + endpoint.ip().getHostAddress() + ":" + endpoint.udpPort();
  }
}
