package io.peerflow.discovery.v4;

import io.peerflow.rlpx.NodeId;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The Kademlia routing table: nodes in buckets by log distance from us, with a few replacements
 * each and limits on how many may share a subnet. Not thread-safe: confined to the discovery
 * engine's executor.
 *
 * <p>Each bucket holds live entries, most recently seen first, and a short list of replacements
 * that wait for an entry to fail its liveness check. The numbers are go-ethereum's ({@code
 * p2p/discover/table.go}), so a peerflow node occupies and offers the same shape of table as the
 * nodes it meets.
 */
final class NodeTable {

  /** Kademlia's k: discv4.md fixes it at 16, and a FindNode answer carries that many. */
  static final int BUCKET_SIZE = 16;

  /** Candidates per bucket waiting for a dead entry's place; more would only go stale. */
  static final int MAX_REPLACEMENTS = 10;

  /**
   * Buckets cover only the closest 1/15 of log distances above {@link #MIN_DISTANCE}: all nearer
   * nodes share the first bucket, since meeting a node that close to a random id almost never
   * happens.
   */
  static final int BUCKETS = 256 / 15;

  /** Log distances at or below this fall into bucket 0. */
  static final int MIN_DISTANCE = 256 - BUCKETS;

  /**
   * At most 2 entries of one bucket and 10 of the table from one /24: an attacker with one subnet
   * cannot fill our view of the network. Loopback and private addresses are exempt, as in
   * go-ethereum, so a test network or a LAN on one host still works.
   */
  static final int BUCKET_IP_LIMIT = 2;

  static final int TABLE_IP_LIMIT = 10;
  static final int SUBNET_BITS = 24;

  private final byte[] self;
  private final List<LinkedList<Node>> entries = new ArrayList<>();
  private final List<LinkedList<Node>> replacements = new ArrayList<>();
  private final Map<String, Integer> tableSubnets = new HashMap<>();

  /** Outcome of {@link #add}. */
  enum Added {
    /** Now a live entry. */
    ADDED,
    /** Already an entry; moved to the front as just seen. */
    SEEN,
    /** The bucket is full: kept as a replacement, and its oldest entry should be checked. */
    REPLACEMENT,
    /** Refused: our own id, or its subnet is at its limit. */
    REFUSED
  }

  NodeTable(NodeId selfId) {
    this.self = io.peerflow.discovery.enr.IdentityV4.keccak(selfId.bytes());
    for (int i = 0; i < BUCKETS; i++) {
      entries.add(new LinkedList<>());
      replacements.add(new LinkedList<>());
    }
  }

  /** Adds or refreshes a node that has just been heard from or about. */
  Added add(Node node) {
    if (java.util.Arrays.equals(node.hash(), self)) {
      return Added.REFUSED;
    }
    int b = bucketOf(node.hash());
    LinkedList<Node> bucket = entries.get(b);
    Optional<Node> existing = find(bucket, node.id());
    if (existing.isPresent()) {
      Node old = existing.get();
      bucket.remove(old);
      if (!old.endpoint().ip().equals(node.endpoint().ip())) {
        release(old);
        if (!admit(node, bucket)) {
          return Added.REFUSED;
        }
      }
      bucket.addFirst(node.record().isPresent() || old.record().isEmpty() ? node : old);
      return Added.SEEN;
    }
    if (bucket.size() < BUCKET_SIZE) {
      if (!admit(node, bucket)) {
        return Added.REFUSED;
      }
      replacements.get(b).removeIf(r -> r.id().equals(node.id()));
      bucket.addFirst(node);
      return Added.ADDED;
    }
    LinkedList<Node> spare = replacements.get(b);
    spare.removeIf(r -> r.id().equals(node.id()));
    spare.addFirst(node);
    if (spare.size() > MAX_REPLACEMENTS) {
      spare.removeLast();
    }
    return Added.REPLACEMENT;
  }

  /** The least recently seen entry of {@code node}'s bucket: the one to check when it is full. */
  Optional<Node> oldestInBucketOf(Node node) {
    LinkedList<Node> bucket = entries.get(bucketOf(node.hash()));
    return bucket.isEmpty() ? Optional.empty() : Optional.of(bucket.getLast());
  }

  /** The least recently seen entry of a random non-empty bucket, for the periodic check. */
  Optional<Node> oldestOfRandomBucket(Random random) {
    List<LinkedList<Node>> filled = new ArrayList<>();
    for (LinkedList<Node> b : entries) {
      if (!b.isEmpty()) {
        filled.add(b);
      }
    }
    if (filled.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(filled.get(random.nextInt(filled.size())).getLast());
  }

  /**
   * Removes an entry that failed its liveness check; the newest replacement that fits the subnet
   * limits takes its place. Returns the replacement, if any.
   */
  Optional<Node> remove(Node dead) {
    int b = bucketOf(dead.hash());
    LinkedList<Node> bucket = entries.get(b);
    Optional<Node> present = find(bucket, dead.id());
    if (present.isEmpty()) {
      return Optional.empty();
    }
    bucket.remove(present.get());
    release(present.get());
    LinkedList<Node> spare = replacements.get(b);
    while (!spare.isEmpty()) {
      Node r = spare.removeFirst();
      if (admit(r, bucket)) {
        bucket.addLast(r);
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** Whether {@code id} is a live entry. */
  boolean contains(NodeId id) {
    return find(entries.get(bucketOf(io.peerflow.discovery.enr.IdentityV4.keccak(id.bytes()))), id)
        .isPresent();
  }

  /** Up to {@code n} entries closest to {@code targetHash}, closest first. */
  List<Node> closest(byte[] targetHash, int n) {
    List<Node> all = nodes();
    all.sort((a, b) -> Node.compareDistance(targetHash, a.hash(), b.hash()));
    return new ArrayList<>(all.subList(0, Math.min(n, all.size())));
  }

  /** Every live entry. */
  List<Node> nodes() {
    List<Node> all = new ArrayList<>();
    entries.forEach(all::addAll);
    return all;
  }

  /** Number of live entries. */
  int size() {
    return entries.stream().mapToInt(List::size).sum();
  }

  int bucketOf(byte[] hash) {
    int d = Node.logDistance(self, hash);
    return d <= MIN_DISTANCE ? 0 : d - MIN_DISTANCE - 1;
  }

  private boolean admit(Node node, List<Node> bucket) {
    InetAddress ip = node.endpoint().ip();
    if (exempt(ip)) {
      return true;
    }
    String subnet = subnet(ip);
    long inBucket = bucket.stream().filter(n -> subnet.equals(subnet(n.endpoint().ip()))).count();
    if (inBucket >= BUCKET_IP_LIMIT || tableSubnets.getOrDefault(subnet, 0) >= TABLE_IP_LIMIT) {
      return false;
    }
    tableSubnets.merge(subnet, 1, Integer::sum);
    return true;
  }

  private void release(Node node) {
    InetAddress ip = node.endpoint().ip();
    if (!exempt(ip)) {
      tableSubnets.computeIfPresent(subnet(ip), (k, v) -> v <= 1 ? null : v - 1);
    }
  }

  private static boolean exempt(InetAddress ip) {
    return ip.isLoopbackAddress() || ip.isSiteLocalAddress() || ip.isLinkLocalAddress();
  }

  private static String subnet(InetAddress ip) {
    byte[] a = ip.getAddress();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < SUBNET_BITS / 8; i++) {
      sb.append(a[i] & 0xff).append('.');
    }
    return sb.append('/').append(a.length).toString();
  }

  private static Optional<Node> find(List<Node> bucket, NodeId id) {
    return bucket.stream().filter(n -> n.id().equals(id)).findFirst();
  }

  static Comparator<Node> byDistanceTo(byte[] targetHash) {
    return (a, b) -> Node.compareDistance(targetHash, a.hash(), b.hash());
  }
}
