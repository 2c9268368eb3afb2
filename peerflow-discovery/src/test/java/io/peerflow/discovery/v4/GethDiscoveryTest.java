package io.peerflow.discovery.v4;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.discovery.enr.Enr;
import io.peerflow.eth.forkid.ForkSchedule;
import io.peerflow.rlpx.LoopbackGuard;
import io.peerflow.rlpx.NodeId;
import io.peerflow.rlpx.NodeKey;
import io.peerflow.testkit.GoEthereum;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our discv4 against go-ethereum's: a geth v1.17.10 on loopback ({@code --netrestrict 127.0.0.0/8},
 * no DNS lists, no NAT, discv5 off) given our node as its only bootnode, started and stopped by its
 * own process handle.
 */
class GethDiscoveryTest {

  /** geth needs a few seconds to start on a loaded machine; it pings its bootnode once up. */
  static final long WAIT_SECONDS = 60;

  static int freePort() throws Exception {
    // A port free for both TCP and UDP, as geth listens on both.
    for (int i = 0; i < 20; i++) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = s.getLocalPort();
        try (DatagramSocket d = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
          return d.getLocalPort();
        } catch (java.net.SocketException taken) {
          // try another
        }
      }
    }
    throw new IllegalStateException("no free port");
  }

  @Test
  void gethFindsUsBondsAnswersWithItsRecordAndNeighborsAndMeetsOurOtherNodes(@TempDir Path dir)
      throws Exception {
    // Built on first use (Go and its module proxy), so this runs on a fresh machine too.
    Path gethBinary = GoEthereum.geth();
    try (UdpDiscovery ours =
            UdpDiscovery.start(
                NodeKey.generate(),
                new InetSocketAddress("127.0.0.1", 0),
                0,
                Optional.empty(),
                LoopbackGuard.ENVIRONMENT);
        UdpDiscovery second =
            UdpDiscovery.start(
                NodeKey.generate(),
                new InetSocketAddress("127.0.0.1", 0),
                0,
                Optional.empty(),
                LoopbackGuard.ENVIRONMENT)) {
      // A second node of ours that only the first knows: geth can meet it only through our answers.
      second
          .engine()
          .bootstrap(List.of(Node.parse(ours.record().text())))
          .get(30, TimeUnit.SECONDS);
      int port = freePort();
      Process geth =
          new ProcessBuilder(
                  gethBinary.toString(),
                  "--datadir",
                  dir.resolve("geth").toString(),
                  "--port",
                  String.valueOf(port),
                  "--nat",
                  "none",
                  "--netrestrict",
                  "127.0.0.0/8",
                  "--discovery.dns",
                  "",
                  "--discv5=false",
                  "--bootnodes",
                  ours.record().toEnode().toString(),
                  "--ipcdisable",
                  "--authrpc.port",
                  String.valueOf(freePort()),
                  "--maxpeers",
                  "5")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("geth.log").toFile())
              .start();
      try {
        // geth pings its bootnode: we answer, bond back, and it joins our table.
        Node found = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (found == null && System.nanoTime() < deadline) {
          List<Node> nodes = ours.engine().nodes().get(10, TimeUnit.SECONDS);
          found =
              nodes.stream().filter(n -> n.endpoint().udpPort() == port).findFirst().orElse(null);
          if (found == null) {
            Thread.onSpinWait();
            ours.engine().lookupRandom().get(30, TimeUnit.SECONDS);
          }
        }
        assertThat(found).as(Files.readString(dir.resolve("geth.log"))).isNotNull();
        // Its record, asked for over discv4: signed by the same key, with mainnet's fork id.
        Enr record = ours.engine().requestEnr(found).get(30, TimeUnit.SECONDS);
        assertThat(record.nodeId()).isEqualTo(found.id());
        assertThat(record.tcp()).hasValue(port);
        assertThat(record.ethForkId()).isPresent();
        assertThat(ForkSchedule.MAINNET.validate(record.ethForkId().get(), 0, 0)).isEmpty();
        // And it answers FindNode: a lookup for its own id comes back with it first.
        NodeId gethId = found.id();
        List<Node> closest = ours.engine().lookup(gethId).get(30, TimeUnit.SECONDS);
        assertThat(closest).extracting(Node::id).contains(gethId);
        // geth learned of our second node from our Neighbors answers and pinged it (the second
        // node runs no lookups, and its liveness checks ping only its table, which held us).
        boolean met = false;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!met && System.nanoTime() < until) {
          met =
              second.engine().nodes().get(10, TimeUnit.SECONDS).stream()
                  .anyMatch(n -> n.id().equals(gethId));
          if (!met) {
            // Polling: the second node never looks anything up itself, so only a ping from geth
            // can put geth in its table.
            Thread.sleep(200);
          }
        }
        assertThat(met).as(Files.readString(dir.resolve("geth.log"))).isTrue();
      } finally {
        geth.destroy();
        if (!geth.waitFor(20, TimeUnit.SECONDS)) {
          geth.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
      assertThat(geth.isAlive()).isFalse();
    }
  }
}
