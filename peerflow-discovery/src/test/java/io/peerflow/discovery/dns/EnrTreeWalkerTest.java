package io.peerflow.discovery.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerflow.discovery.enr.Enr;
import io.peerflow.rlpx.LoopbackGuard;
import io.peerflow.rlpx.NodeKey;
import io.peerflow.testkit.Dnsmasq;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Lists signed here, served by a real DNS server (dnsmasq) on loopback. */
class EnrTreeWalkerTest {

  static List<Enr> records(int n, int firstPort) throws Exception {
    List<Enr> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          Enr.builder()
              .ip(InetAddress.getByName("127.0.0.1"))
              .tcp(firstPort + i)
              .udp(firstPort + i)
              .sign(NodeKey.generate()));
    }
    return out;
  }

  static EnrTreeWalker walker(Dnsmasq dns, EnrTreeUrl... urls) throws Exception {
    return new EnrTreeWalker(
        List.of(urls), TxtResolver.server(dns.address(), LoopbackGuard.ENVIRONMENT), new Random(1));
  }

  @Test
  void everyNodeOfAListAndOfTheListItLinksIsFound() throws Exception {
    List<Enr> more = records(3, 40000);
    SignedTree linked =
        SignedTree.sign(NodeKey.generate(), "more.peerflow.test", 1, more, List.of());
    // 30 records: more than one branch holds, so the tree has two levels.
    List<Enr> nodes = records(30, 30000);
    SignedTree tree =
        SignedTree.sign(NodeKey.generate(), "nodes.peerflow.test", 3, nodes, List.of(linked.url()));
    Map<String, String> txt = new LinkedHashMap<>(tree.records());
    txt.putAll(linked.records());
    try (Dnsmasq dns = Dnsmasq.start(txt)) {
      List<Enr> found = walker(dns, tree.url()).all();
      List<Enr> expected = new ArrayList<>(nodes);
      expected.addAll(more);
      assertThat(found).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(found).doesNotHaveDuplicates();
    }
  }

  @Test
  void theWalkIsLazyAndInRandomOrder() throws Exception {
    List<Enr> nodes = records(30, 30000);
    SignedTree tree =
        SignedTree.sign(NodeKey.generate(), "lazy.peerflow.test", 1, nodes, List.of());
    try (Dnsmasq dns = Dnsmasq.start(tree.records())) {
      EnrTreeWalker w = walker(dns, tree.url());
      Enr first = w.next().orElseThrow();
      List<Enr> rest = w.all();
      assertThat(rest).hasSize(29).doesNotContain(first);
      List<Enr> secondWalk =
          new EnrTreeWalker(
                  List.of(tree.url()),
                  TxtResolver.server(dns.address(), LoopbackGuard.ENVIRONMENT),
                  new Random(99))
              .all();
      assertThat(new HashSet<>(secondWalk)).isEqualTo(new HashSet<>(nodes));
      assertThat(secondWalk).isNotEqualTo(nodes);
    }
  }

  @Test
  void aTamperedRecordIsRefusedForNotMatchingItsHash() throws Exception {
    List<Enr> nodes = records(2, 30000);
    SignedTree tree = SignedTree.sign(NodeKey.generate(), "bad.peerflow.test", 1, nodes, List.of());
    Map<String, String> txt = new LinkedHashMap<>(tree.records());
    String victim = TreeEntry.hashOf(nodes.get(0).text()) + ".bad.peerflow.test";
    txt.put(victim, records(1, 50000).get(0).text());
    try (Dnsmasq dns = Dnsmasq.start(txt)) {
      EnrTreeWalker w = walker(dns, tree.url());
      assertThatThrownBy(
              () -> {
                for (int i = 0; i < 10; i++) {
                  w.next();
                }
              })
          .isInstanceOf(DnsTreeException.class)
          .hasMessage("bad.peerflow.test: the entry at " + victim + " does not match its hash");
    }
  }

  @Test
  void aListSignedByAnotherKeyIsRefused() throws Exception {
    SignedTree tree =
        SignedTree.sign(NodeKey.generate(), "forged.peerflow.test", 1, records(2, 1), List.of());
    EnrTreeUrl expectedSigner =
        EnrTreeUrl.of(NodeKey.generate().id().bytes(), "forged.peerflow.test");
    try (Dnsmasq dns = Dnsmasq.start(tree.records())) {
      EnrTreeWalker w = walker(dns, expectedSigner);
      assertThatThrownBy(w::next)
          .isInstanceOf(DnsTreeException.class)
          .hasMessage("forged.peerflow.test: root signature does not match the list's public key");
    }
  }

  @Test
  void aRecordOver255CharactersArrivesWholeFromSeveralStrings() throws Exception {
    // A record with an extra pair is long enough that its text spans two DNS strings.
    Enr big =
        Enr.builder()
            .ip(InetAddress.getByName("127.0.0.1"))
            .udp(1)
            .set("padding", new io.peerflow.rlp.RlpWriter().writeBytes(new byte[120]).toByteArray())
            .sign(NodeKey.generate());
    assertThat(big.text().length()).isGreaterThan(255);
    SignedTree tree =
        SignedTree.sign(NodeKey.generate(), "big.peerflow.test", 1, List.of(big), List.of());
    try (Dnsmasq dns = Dnsmasq.start(tree.records())) {
      assertThat(walker(dns, tree.url()).all()).containsExactly(big);
    }
  }

  @Test
  void aPublicDnsServerIsRefusedByTheGuard() {
    assertThatThrownBy(
            () -> TxtResolver.server(new InetSocketAddress("8.8.8.8", 53), LoopbackGuard.ON))
        .isInstanceOf(DnsTreeException.class)
        .hasMessageContaining("refusing DNS query to /8.8.8.8:53");
  }
}
