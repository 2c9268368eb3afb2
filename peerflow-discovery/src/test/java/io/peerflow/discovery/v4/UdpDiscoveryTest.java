package io.peerflow.discovery.v4;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.discovery.KnownNetworks;
import io.peerflow.eth.forkid.ForkId;
import io.peerflow.rlpx.LoopbackGuard;
import io.peerflow.rlpx.NodeId;
import io.peerflow.rlpx.NodeKey;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class UdpDiscoveryTest {

  static UdpDiscovery start(LoopbackGuard guard) throws Exception {
    return UdpDiscovery.start(
        NodeKey.generate(),
        new InetSocketAddress("127.0.0.1", 0),
        30303,
        Optional.of(new ForkId(0x12345678, 0)),
        guard);
  }

  @Test
  void eightNodesOnLoopbackSocketsFindEachOtherThroughOneBootnode() throws Exception {
    List<UdpDiscovery> nodes = new ArrayList<>();
    try (UdpDiscovery boot = start(LoopbackGuard.ENVIRONMENT)) {
      try {
        for (int i = 0; i < 8; i++) {
          nodes.add(start(LoopbackGuard.ENVIRONMENT));
        }
        Node bootnode = Node.parse(boot.record().text());
        for (UdpDiscovery n : nodes) {
          n.engine().bootstrap(List.of(bootnode)).get(30, TimeUnit.SECONDS);
        }
        UdpDiscovery last = nodes.get(nodes.size() - 1);
        Set<NodeId> found = new HashSet<>();
        for (int i = 0; i < 5 && found.size() < nodes.size(); i++) {
          found.addAll(
              last.engine().lookupRandom().get(30, TimeUnit.SECONDS).stream()
                  .map(Node::id)
                  .collect(Collectors.toSet()));
          found.addAll(
              last.engine().nodes().get(5, TimeUnit.SECONDS).stream()
                  .map(Node::id)
                  .collect(Collectors.toSet()));
        }
        Set<NodeId> others =
            nodes.subList(0, nodes.size() - 1).stream()
                .map(n -> n.record().nodeId())
                .collect(Collectors.toSet());
        assertThat(found).containsAll(others);
        // Their records, asked for over UDP, carry the fork id and TCP port.
        var enr = last.engine().requestEnr(Node.parse(nodes.get(0).record().text()));
        assertThat(enr.get(10, TimeUnit.SECONDS).ethForkId()).contains(new ForkId(0x12345678, 0));
      } finally {
        nodes.forEach(UdpDiscovery::close);
      }
    }
  }

  @Test
  void theGuardRefusesTheMainnetBootnodesWithoutSendingAnything() throws Exception {
    try (UdpDiscovery node = start(LoopbackGuard.ENVIRONMENT)) {
      List<Node> mainnet =
          KnownNetworks.bootnodes("mainnet").stream().map(Node::parse).collect(Collectors.toList());
      assertThat(mainnet).hasSize(4);
      node.engine().bootstrap(mainnet).get(30, TimeUnit.SECONDS);
      assertThat(node.refusedDatagrams()).isEqualTo(4);
      assertThat(node.sentDatagrams()).isZero();
    }
  }
}
