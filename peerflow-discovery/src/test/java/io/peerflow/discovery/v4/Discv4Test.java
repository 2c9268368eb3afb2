package io.peerflow.discovery.v4;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.discovery.enr.Enr;
import io.peerflow.rlpx.NodeId;
import io.peerflow.rlpx.NodeKey;
import io.peerflow.time.VirtualTime;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Engines talking to each other over a simulated network in virtual time. */
class Discv4Test {

  static final long EPOCH = 1_700_000_000L;

  final VirtualTime time = new VirtualTime();
  final Map<InetSocketAddress, Discv4> network = new HashMap<>();
  final Set<InetSocketAddress> silent = new HashSet<>();
  final List<byte[]> sentTo = new ArrayList<>();
  final Random random = new Random(7);
  int nextPort = 30000;

  long unix() {
    return EPOCH + TimeUnit.NANOSECONDS.toSeconds(time.nanos());
  }

  Discv4 node() throws Exception {
    return node(NodeKey.generate(new java.security.SecureRandom()));
  }

  Discv4 node(NodeKey key) throws Exception {
    int port = nextPort++;
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    InetSocketAddress address = new InetSocketAddress(lo, port);
    Enr enr = Enr.builder().ip(lo).udp(port).tcp(port).sign(key);
    Discv4 engine =
        new Discv4(
            key,
            new Endpoint(lo, port, port),
            enr,
            (to, datagram) -> deliver(address, to, datagram),
            time,
            this::unix,
            new Random(random.nextLong()));
    network.put(address, engine);
    engine.start();
    return engine;
  }

  void deliver(InetSocketAddress from, InetSocketAddress to, byte[] datagram) {
    if (silent.contains(from) || silent.contains(to)) {
      return;
    }
    sentTo.add(datagram);
    Discv4 target = network.get(to);
    if (target != null) {
      time.schedule(TimeUnit.MILLISECONDS.toNanos(5), () -> target.receive(from, datagram));
    }
  }

  <T> T await(CompletableFuture<T> f) {
    for (int i = 0; i < 100_000 && !f.isDone(); i++) {
      time.advance(TimeUnit.MILLISECONDS.toNanos(10));
    }
    assertThat(f).isDone();
    return f.join();
  }

  static Node asNode(Discv4 e) {
    return Node.of(e.record());
  }

  static Set<NodeId> ids(List<Node> nodes) {
    return nodes.stream().map(Node::id).collect(Collectors.toSet());
  }

  @Test
  void aPingBondsBothWaysAndEachJoinsTheOthersTable() throws Exception {
    Discv4 a = node();
    Discv4 b = node();
    await(a.ping(asNode(b)));
    time.advance(TimeUnit.SECONDS.toNanos(1));
    assertThat(ids(await(a.nodes()))).containsExactly(b.record().nodeId());
    assertThat(ids(await(b.nodes()))).containsExactly(a.record().nodeId());
  }

  @Test
  void findNodeFromAnUnbondedSenderGetsNoAnswer() throws Exception {
    Discv4 a = node();
    Discv4 b = node();
    // b has heard of a third node, so it would have something to tell.
    Discv4 c = node();
    await(b.ping(asNode(c)));
    time.advance(TimeUnit.SECONDS.toNanos(1));
    sentTo.clear();
    // a asks b without bonding first.
    CompletableFuture<List<Node>> answer = new CompletableFuture<>();
    a.executor()
        .execute(
            () ->
                a.findNode(asNode(b), c.record().nodeId().bytes())
                    .whenComplete(
                        (n, e) -> {
                          if (e != null) {
                            answer.completeExceptionally(e);
                          } else {
                            answer.complete(n);
                          }
                        }));
    time.advance(TimeUnit.SECONDS.toNanos(2));
    assertThat(answer).isCompletedExceptionally();
    assertThat(sentTo).hasSize(1); // the FindNode itself, nothing back
  }

  @Test
  void twentyNodesEachKnowingOneBootnodeFindEachOther() throws Exception {
    Discv4 boot = node();
    List<Discv4> nodes = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      nodes.add(node());
    }
    for (Discv4 n : nodes) {
      await(n.bootstrap(List.of(asNode(boot))));
    }
    Discv4 newcomer = node();
    await(newcomer.bootstrap(List.of(asNode(boot))));
    Set<NodeId> found = ids(await(newcomer.nodes()));
    for (int i = 0; i < 3; i++) {
      found.addAll(ids(await(newcomer.lookupRandom())));
    }
    Set<NodeId> all = nodes.stream().map(n -> n.record().nodeId()).collect(Collectors.toSet());
    all.add(boot.record().nodeId());
    assertThat(found).containsAll(all);
  }

  @Test
  void aLookupReturnsTheSixteenClosestToItsTargetClosestFirst() throws Exception {
    Discv4 boot = node();
    List<Discv4> nodes = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      Discv4 n = node();
      nodes.add(n);
      await(n.bootstrap(List.of(asNode(boot))));
    }
    NodeId target = nodes.get(5).record().nodeId();
    List<Node> result = await(nodes.get(0).lookup(target));
    assertThat(result).hasSize(16);
    assertThat(result.get(0).id()).isEqualTo(target);
    byte[] th = io.peerflow.discovery.enr.IdentityV4.keccak(target.bytes());
    List<Node> everyone = new ArrayList<>();
    nodes.forEach(n -> everyone.add(asNode(n)));
    everyone.add(asNode(boot));
    everyone.removeIf(n -> n.id().equals(nodes.get(0).record().nodeId()));
    everyone.sort(NodeTable.byDistanceTo(th));
    assertThat(ids(result)).isEqualTo(ids(everyone.subList(0, 16)));
  }

  @Test
  void aNodeThatFallsSilentFailsItsLivenessCheckAndLeavesTheTable() throws Exception {
    Discv4 a = node();
    Discv4 b = node();
    await(a.ping(asNode(b)));
    assertThat(await(a.nodes())).hasSize(1);
    silent.add(b.record().toEnode().tcpAddress());
    silent.add(
        new InetSocketAddress(InetAddress.getByName("127.0.0.1"), b.record().udp().getAsInt()));
    time.advance(TimeUnit.SECONDS.toNanos(30));
    assertThat(await(a.nodes())).isEmpty();
  }

  @Test
  void anEnrRequestReturnsTheNodesSignedRecord() throws Exception {
    Discv4 a = node();
    Discv4 b = node();
    Enr enr = await(a.requestEnr(asNode(b)));
    assertThat(enr).isEqualTo(b.record());
  }

  @Test
  void anExpiredPingIsNotAnswered() throws Exception {
    Discv4 b = node();
    NodeKey stranger = NodeKey.generate();
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    Message.Ping ping =
        new Message.Ping(
            4, new Endpoint(lo, 1, 1), new Endpoint(lo, 2, 0), unix() - 1, OptionalLong.empty());
    sentTo.clear();
    b.receive(new InetSocketAddress(lo, 40000), Packet.encode(stranger, ping).bytes());
    time.advance(TimeUnit.SECONDS.toNanos(1));
    assertThat(sentTo).isEmpty();
  }

  @Test
  void aFloodFromOneSourceIsMostlyDroppedBeforeDecoding() throws Exception {
    Discv4 b = node();
    NodeKey stranger = NodeKey.generate();
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    byte[] ping =
        Packet.encode(
                stranger,
                new Message.Ping(
                    4,
                    new Endpoint(lo, 1, 1),
                    new Endpoint(lo, 2, 0),
                    unix() + 20,
                    OptionalLong.empty()))
            .bytes();
    sentTo.clear();
    for (int i = 0; i < 10_000; i++) {
      b.receive(new InetSocketAddress(lo, 40000), ping);
    }
    time.advance(TimeUnit.SECONDS.toNanos(1));
    assertThat(b.droppedByRateLimit()).isGreaterThanOrEqualTo(10_000 - 50);
    // Each processed ping is answered with a Pong (and one Ping to bond): at most the burst.
    assertThat(sentTo.size()).isLessThanOrEqualTo(2 * 50);
  }
}
