package io.peerflow.discovery.v4;

import io.peerflow.concurrent.SerialExecutor;
import io.peerflow.discovery.enr.Enr;
import io.peerflow.rlpx.NodeId;
import io.peerflow.rlpx.NodeKey;
import io.peerflow.time.Timer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The discv4 engine: answers Ping, FindNode and ENRRequest, bonds before asking or answering, keeps
 * the {@link NodeTable} alive, and runs iterative lookups. Thread-safe: every piece of state is
 * confined to one {@link SerialExecutor} over the injected {@link Timer}; {@link #receive} and the
 * public requests may be called from any thread and hop onto it. Nothing blocks.
 *
 * <p>It sends through a {@link Transport} and is fed datagrams through {@link #receive}, so tests
 * run many engines against each other in virtual time; {@link UdpDiscovery} puts one on a socket.
 * Why this class is over 400 lines: the protocol's request/reply matching, bonding and serving
 * share the same pending-reply and bond state, and splitting them would only pass that around.
 */
public final class Discv4 {

  private static final Logger LOG = LoggerFactory.getLogger(Discv4.class);

  /** Where datagrams go; implementations must not block. */
  public interface Transport {
    /** Sends one datagram; failures are the transport's to log. */
    void send(InetSocketAddress to, byte[] datagram);
  }

  /** discv4.md: a node counts as having proven its endpoint for 12 hours after its Pong. */
  static final long BOND_LIFETIME = TimeUnit.HOURS.toNanos(12);

  /** go-ethereum's reply timeout: UDP round trips beyond half a second are as good as lost. */
  static final long REPLY_TIMEOUT = TimeUnit.MILLISECONDS.toNanos(500);

  /**
   * How long packets we send stay valid: enough for a slow link and some clock skew, short enough
   * that a captured packet cannot be replayed for long. go-ethereum uses the same 20 s.
   */
  static final long EXPIRATION_SECONDS = 20;

  /** Liveness check of one table entry every 10 s, as go-ethereum's revalidation does. */
  static final long LIVENESS_INTERVAL = TimeUnit.SECONDS.toNanos(10);

  /** Kademlia's concurrency: FindNode requests in flight per lookup (discv4.md's alpha). */
  static final int ALPHA = 3;

  private final NodeKey key;
  private final Endpoint self;
  private final Timer timer;
  private final SerialExecutor executor;
  private final Transport transport;
  private final LongSupplier unixSeconds;
  private final Random random;
  private final NodeTable table;
  private final PacketRateLimit rateLimit;
  private volatile Enr record;

  // Confined to the executor.
  private final List<Pending> pending = new ArrayList<>();
  private final Map<NodeId, Long> pongReceived = new HashMap<>();
  private final Map<NodeId, Long> pingReceived = new HashMap<>();
  private final Map<NodeId, List<CompletableFuture<Void>>> awaitingPing = new HashMap<>();
  private Timer.Timeout livenessTimer;
  private boolean closed;

  /**
   * An engine for {@code key}, announcing {@code self} and {@code record}.
   *
   * @param unixSeconds the wall clock, for packet expirations (the only use of wall time)
   */
  public Discv4(
      NodeKey key,
      Endpoint self,
      Enr record,
      Transport transport,
      Timer timer,
      LongSupplier unixSeconds,
      Random random) {
    this.key = Objects.requireNonNull(key, "key");
    this.self = Objects.requireNonNull(self, "self");
    this.record = Objects.requireNonNull(record, "record");
    this.transport = Objects.requireNonNull(transport, "transport");
    this.timer = Objects.requireNonNull(timer, "timer");
    this.unixSeconds = Objects.requireNonNull(unixSeconds, "unixSeconds");
    this.random = Objects.requireNonNull(random, "random");
    this.table = new NodeTable(key.id());
    this.rateLimit = new PacketRateLimit(timer.clock());
    this.executor =
        new SerialExecutor(timer, e -> LOG.warn("discovery task failed: {}", e.toString(), e));
  }

  /** Starts the periodic liveness checks. */
  public void start() {
    executor.execute(this::scheduleLiveness);
  }

  /** Stops the timers; pending requests fail. */
  public void close() {
    executor.execute(
        () -> {
          closed = true;
          if (livenessTimer != null) {
            livenessTimer.cancel();
          }
          for (Pending p : List.copyOf(pending)) {
            p.fail(new IllegalStateException("discovery closed"));
          }
        });
  }

  /** This node's record as announced. */
  public Enr record() {
    return record;
  }

  /** Announces a new record (for example with a moved head's fork id); its seq must be higher. */
  public void updateRecord(Enr newer) {
    if (newer.seq() <= record.seq() || !newer.nodeId().equals(key.id())) {
      throw new IllegalArgumentException("a new record of ours needs a higher sequence number");
    }
    this.record = newer;
  }

  /**
   * Handles one datagram from {@code from}. Thread-safe and cheap for datagrams over the rate
   * limit: they are counted and dropped before any hashing.
   */
  public void receive(InetSocketAddress from, byte[] datagram) {
    if (datagram.length > Packet.MAX_SIZE || !rateLimit.allow(from)) {
      return;
    }
    executor.execute(() -> handle(from, datagram));
  }

  /** Datagrams dropped by the rate limit so far. */
  public long droppedByRateLimit() {
    return rateLimit.dropped();
  }

  /** A snapshot of the table's live entries. */
  public CompletableFuture<List<Node>> nodes() {
    return supply(() -> table.nodes());
  }

  /**
   * Bonds with each bootnode and then looks up our own id, which fills the table with the nodes
   * near us; completes with the table's entries after that lookup.
   */
  public CompletableFuture<List<Node>> bootstrap(Collection<Node> bootnodes) {
    CompletableFuture<List<Node>> done = new CompletableFuture<>();
    executor.execute(
        () -> {
          List<CompletableFuture<?>> bonds = new ArrayList<>();
          for (Node b : bootnodes) {
            bonds.add(ping(b).handle((ok, e) -> null));
          }
          CompletableFuture.allOf(bonds.toArray(CompletableFuture[]::new))
              .thenComposeAsync(x -> lookup(key.id()), executor)
              .thenComposeAsync(x -> nodes(), executor)
              .whenComplete(
                  (nodes, e) -> {
                    if (e != null) {
                      done.completeExceptionally(e);
                    } else {
                      done.complete(nodes);
                    }
                  });
        });
    return done;
  }

  /** Looks up the nodes closest to {@code target}: up to 16, closest first. */
  public CompletableFuture<List<Node>> lookup(NodeId target) {
    CompletableFuture<List<Node>> result = new CompletableFuture<>();
    executor.execute(() -> new Lookup(this, target.bytes(), result).start());
    return result;
  }

  /** Looks up a random target: the way to meet nodes anywhere in the space. */
  public CompletableFuture<List<Node>> lookupRandom() {
    return lookup(NodeKey.generate(new java.security.SecureRandom()).id());
  }

  /** Asks {@code node} for its current record (bonding first if needed). */
  public CompletableFuture<Enr> requestEnr(Node node) {
    CompletableFuture<Enr> result = new CompletableFuture<>();
    executor.execute(
        () ->
            ensureBond(node)
                .thenComposeAsync(x -> enrRequest(node), executor)
                .whenComplete(
                    (enr, e) -> {
                      if (e != null) {
                        result.completeExceptionally(e);
                      } else {
                        result.complete(enr);
                      }
                    }));
    return result;
  }

  // ---- requests (on the executor) ----

  /** Pings {@code node}; on its Pong the node has proven its endpoint and joins the table. */
  CompletableFuture<Void> ping(Node node) {
    Message.Ping ping =
        new Message.Ping(
            4,
            self,
            new Endpoint(node.endpoint().ip(), node.endpoint().udpPort(), 0),
            expiration(),
            OptionalLong.of(record.seq()));
    byte[] hash = send(node, ping);
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (hash == null) {
      done.completeExceptionally(new IllegalStateException("not sent"));
      return done;
    }
    expect(
        node,
        2,
        m -> Arrays.equals(((Message.Pong) m).pingHash(), hash),
        () -> {
          // At once, not in a later task: a request from the node may be next in the queue.
          pongReceived.put(node.id(), now());
          addSeen(node);
          done.complete(null);
        },
        done::completeExceptionally);
    return done;
  }

  /**
   * Makes sure {@code node} has a Pong of ours from the last 12 hours, so that it will answer: if
   * it has not pinged us lately, ping it and give it a reply timeout to ping back (it will, having
   * no bond with us), as go-ethereum does.
   */
  CompletableFuture<Void> ensureBond(Node node) {
    Long last = pingReceived.get(node.id());
    if (last != null && now() - last < BOND_LIFETIME) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> theirPing = new CompletableFuture<>();
    awaitingPing.computeIfAbsent(node.id(), k -> new ArrayList<>()).add(theirPing);
    timer.schedule(REPLY_TIMEOUT * 2, () -> executor.execute(() -> theirPing.complete(null)));
    return ping(node).thenCompose(x -> theirPing);
  }

  /** Sends FindNode and collects Neighbors until 16 nodes came or the reply timeout passed. */
  CompletableFuture<List<Node>> findNode(Node node, byte[] target) {
    CompletableFuture<List<Node>> result = new CompletableFuture<>();
    if (send(node, new Message.FindNode(target, expiration())) == null) {
      result.completeExceptionally(new IllegalStateException("not sent"));
      return result;
    }
    List<Node> found = new ArrayList<>();
    Pending p =
        expect(
            node,
            4,
            m -> {
              for (Message.Neighbor n : ((Message.Neighbors) m).nodes()) {
                try {
                  found.add(Node.of(NodeId.of(n.id()), n.endpoint()));
                } catch (IllegalArgumentException notAKey) {
                  // a bogus id is skipped; the rest of the answer stands
                }
              }
              return found.size() >= NodeTable.BUCKET_SIZE;
            },
            () -> result.complete(List.copyOf(found)),
            e -> {
              if (found.isEmpty()) {
                result.completeExceptionally(e);
              } else {
                result.complete(List.copyOf(found));
              }
            });
    Objects.requireNonNull(p);
    return result;
  }

  private CompletableFuture<Enr> enrRequest(Node node) {
    CompletableFuture<Enr> result = new CompletableFuture<>();
    byte[] hash = send(node, new Message.EnrRequest(expiration()));
    if (hash == null) {
      result.completeExceptionally(new IllegalStateException("not sent"));
      return result;
    }
    Enr[] got = new Enr[1];
    expect(
        node,
        6,
        m -> {
          Message.EnrResponse r = (Message.EnrResponse) m;
          if (!Arrays.equals(r.requestHash(), hash) || !r.record().nodeId().equals(node.id())) {
            return false;
          }
          got[0] = r.record();
          return true;
        },
        () -> result.complete(got[0]),
        result::completeExceptionally);
    return result;
  }

  // ---- receiving (on the executor) ----

  private void handle(InetSocketAddress from, byte[] datagram) {
    if (closed) {
      return;
    }
    Packet packet;
    try {
      packet = Packet.decode(datagram);
    } catch (PacketException e) {
      LOG.debug("dropped datagram from {}: {}", from, e.getMessage());
      return;
    }
    Message m = packet.message();
    if (m.expiration() < unixSeconds.getAsLong()) {
      LOG.debug("dropped expired {} from {}", packet, from);
      return;
    }
    NodeId sender = packet.sender();
    if (sender.equals(key.id())) {
      return;
    }
    Endpoint source = new Endpoint(from.getAddress(), from.getPort(), 0);
    if (m instanceof Message.Ping ping) {
      onPing(packet, ping, source);
    } else if (m instanceof Message.FindNode find) {
      onFindNode(sender, source, find);
    } else if (m instanceof Message.EnrRequest) {
      onEnrRequest(packet, source);
    } else {
      matchReply(sender, from, m);
    }
  }

  private void onPing(Packet packet, Message.Ping ping, Endpoint source) {
    Node sender =
        Node.of(
            packet.sender(), new Endpoint(source.ip(), source.udpPort(), ping.from().tcpPort()));
    sendTo(
        source.udpAddress(),
        new Message.Pong(source, packet.hash(), expiration(), OptionalLong.of(record.seq())));
    pingReceived.put(sender.id(), now());
    List<CompletableFuture<Void>> waiting = awaitingPing.remove(sender.id());
    if (waiting != null) {
      waiting.forEach(f -> f.complete(null));
    }
    if (verified(sender.id())) {
      addSeen(sender);
    } else {
      // It has not proven its endpoint to us: ping back, and it joins the table on the Pong.
      ping(sender).exceptionally(e -> null);
    }
  }

  private void onFindNode(NodeId sender, Endpoint source, Message.FindNode find) {
    if (!verified(sender)) {
      // discv4.md: no answer to an unproven endpoint, or anyone could aim our answers at a victim.
      LOG.debug("ignored FindNode from unbonded {}", sender.shortHex());
      return;
    }
    byte[] targetHash = io.peerflow.discovery.enr.IdentityV4.keccak(find.target());
    List<Node> closest = table.closest(targetHash, NodeTable.BUCKET_SIZE);
    // Split so every Neighbors packet stays under 1,280 bytes (about 12 IPv4 nodes fit).
    List<Message.Neighbor> chunk = new ArrayList<>();
    int size = 0;
    for (Node n : closest) {
      int entry = n.endpoint().ip().getAddress().length + 64 + 12;
      if (size + entry > Packet.MAX_SIZE - 200 && !chunk.isEmpty()) {
        sendTo(source.udpAddress(), new Message.Neighbors(chunk, expiration()));
        chunk = new ArrayList<>();
        size = 0;
      }
      chunk.add(new Message.Neighbor(n.endpoint(), n.id().bytes()));
      size += entry;
    }
    if (!chunk.isEmpty() || closest.isEmpty()) {
      sendTo(source.udpAddress(), new Message.Neighbors(chunk, expiration()));
    }
  }

  private void onEnrRequest(Packet packet, Endpoint source) {
    if (!verified(packet.sender())) {
      LOG.debug("ignored ENRRequest from unbonded {}", packet.sender().shortHex());
      return;
    }
    sendTo(source.udpAddress(), new Message.EnrResponse(packet.hash(), record));
  }

  private void matchReply(NodeId sender, InetSocketAddress from, Message m) {
    Iterator<Pending> it = pending.iterator();
    while (it.hasNext()) {
      Pending p = it.next();
      if (p.from.equals(sender)
          && p.address.getAddress().equals(from.getAddress())
          && p.type == m.type()) {
        boolean complete = p.matcher.test(m);
        if (complete) {
          it.remove();
          p.timeout.cancel();
          p.onDone.run();
          return;
        }
        if (m instanceof Message.Neighbors) {
          // One part of a multi-packet answer: taken in, the request waits for the rest.
          return;
        }
      }
    }
    LOG.debug("unsolicited {} from {}", Packet.typeName(m.type()), sender.shortHex());
  }

  // ---- table upkeep ----

  /**
   * A node that proved its endpoint: into the table, or, when its bucket is full, check the oldest.
   */
  private void addSeen(Node node) {
    if (table.add(node) == NodeTable.Added.REPLACEMENT) {
      table.oldestInBucketOf(node).ifPresent(this::checkLiveness);
    }
  }

  /** Nodes heard of from others join as well; a failed liveness check removes them again. */
  void addFound(Node node) {
    if (!node.id().equals(key.id())) {
      table.add(node);
    }
  }

  private void checkLiveness(Node node) {
    ping(node)
        .whenCompleteAsync(
            (ok, e) -> {
              if (e != null) {
                table.remove(node).ifPresent(r -> LOG.debug("{} replaced {}", r, node));
              }
            },
            executor);
  }

  private void scheduleLiveness() {
    if (closed) {
      return;
    }
    livenessTimer =
        timer.schedule(
            LIVENESS_INTERVAL,
            () ->
                executor.execute(
                    () -> {
                      table.oldestOfRandomBucket(random).ifPresent(this::checkLiveness);
                      scheduleLiveness();
                    }));
  }

  NodeTable table() {
    return table;
  }

  SerialExecutor executor() {
    return executor;
  }

  NodeId selfId() {
    return key.id();
  }

  // ---- plumbing ----

  private boolean verified(NodeId id) {
    Long last = pongReceived.get(id);
    return last != null && now() - last < BOND_LIFETIME;
  }

  private long now() {
    return timer.clock().nanos();
  }

  private long expiration() {
    return unixSeconds.getAsLong() + EXPIRATION_SECONDS;
  }

  private byte[] send(Node node, Message m) {
    return sendTo(node.endpoint().udpAddress(), m);
  }

  private byte[] sendTo(InetSocketAddress to, Message m) {
    if (closed) {
      return null;
    }
    Packet.Encoded e = Packet.encode(key, m);
    transport.send(to, e.bytes());
    return e.hash();
  }

  private Pending expect(
      Node node,
      int type,
      Predicate<Message> matcher,
      Runnable onDone,
      java.util.function.Consumer<Throwable> onFail) {
    Pending p = new Pending(node.id(), node.endpoint().udpAddress(), type, matcher, onDone, onFail);
    p.timeout =
        timer.schedule(
            REPLY_TIMEOUT,
            () ->
                executor.execute(
                    () -> {
                      if (pending.remove(p)) {
                        p.fail(
                            new TimeoutException(
                                "no " + Packet.typeName(type) + " from " + node + " in time"));
                      }
                    }));
    pending.add(p);
    return p;
  }

  private <T> CompletableFuture<T> supply(java.util.function.Supplier<T> s) {
    CompletableFuture<T> f = new CompletableFuture<>();
    executor.execute(
        () -> {
          try {
            f.complete(s.get());
          } catch (RuntimeException e) {
            f.completeExceptionally(e);
          }
        });
    return f;
  }

  /** A reply we wait for. */
  private static final class Pending {
    final NodeId from;
    final InetSocketAddress address;
    final int type;
    final Predicate<Message> matcher;
    final Runnable onDone;
    final java.util.function.Consumer<Throwable> onFail;
    Timer.Timeout timeout;

    Pending(
        NodeId from,
        InetSocketAddress address,
        int type,
        Predicate<Message> matcher,
        Runnable onDone,
        java.util.function.Consumer<Throwable> onFail) {
      this.from = from;
      this.address = address;
      this.type = type;
      this.matcher = matcher;
      this.onDone = onDone;
      this.onFail = onFail;
    }

    void fail(Throwable e) {
      if (timeout != null) {
        timeout.cancel();
      }
      onFail.accept(e);
    }
  }
}
