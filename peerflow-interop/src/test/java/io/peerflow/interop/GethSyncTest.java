package io.peerflow.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockReceipts;
import io.peerflow.chain.block.Log;
import io.peerflow.chain.block.Receipt;
import io.peerflow.chain.config.ChainConfig;
import io.peerflow.cli.StoreSource;
import io.peerflow.eth.EthNode;
import io.peerflow.eth.EthNodeConfig;
import io.peerflow.eth.EthPeer;
import io.peerflow.rlpx.Enode;
import io.peerflow.rlpx.NodeKey;
import io.peerflow.store.ChainStore;
import io.peerflow.store.Part;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * peerflow against go-ethereum v1.17.10 serving its own eth protocol test chain on loopback: the
 * handshake, and the whole chain (headers, bodies, receipts, 10.6 MB of them in block 11) synced by
 * the {@code sync} command from one geth node, from three at once, and from geth and peerflow nodes
 * mixed, every block hash and receipt checked against geth's JSON-RPC.
 */
class GethSyncTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static ChainConfig chain;
  static GethNode geth;

  @BeforeAll
  static void startGeth() throws Exception {
    chain = ChainConfig.named(EthTestChain.genesis().toString());
    geth = EthTestChain.startGeth();
  }

  @AfterAll
  static void stopGeth() {
    if (geth != null) {
      geth.close();
    }
  }

  @Test
  void theHandshakeWithGethSettlesOnEth70AndItsStatusMatchesOurChain() throws Exception {
    try (EthNode ours = EthNode.start(EthNodeConfig.builder(NodeKey.generate(), chain).build())) {
      EthPeer peer = ours.dial(Enode.parse(geth.enode())).orTimeout(60, TimeUnit.SECONDS).join();
      assertThat(peer.version()).isEqualTo(70);
      assertThat(peer.clientId()).startsWith("Geth/v1.17.10");
      assertThat(peer.status().networkId()).isEqualTo(chain.networkId());
      assertThat(peer.status().genesis()).isEqualTo(chain.genesisHash());
      assertThat(peer.headNumber()).isEqualTo(EthTestChain.HEAD);
      assertThat(peer.headHash().toHex()).isEqualTo(EthTestChain.HEAD_HASH);
    }
  }

  @Test
  void theSyncCommandDownloadsTheWholeChainFromGethAndAgreesWithItsRpc(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("data");
    JsonNode report = sync(data, List.of(geth.enode()), dir.resolve("r.json"));
    assertThat(report.get("to").asLong()).isEqualTo(EthTestChain.HEAD);
    assertThat(report.get("headHash").asText()).isEqualTo(EthTestChain.HEAD_HASH);
    assertThat(report.get("peers").get(0).get("client").asText()).startsWith("Geth/v1.17.10");
    assertAgreesWithGeth(data, geth);
  }

  @Test
  void threeGethNodesAtOnceShareTheSync(@TempDir Path dir) throws Exception {
    try (GethNode second = EthTestChain.startGeth();
        GethNode third = EthTestChain.startGeth()) {
      Path data = dir.resolve("data");
      JsonNode report =
          sync(data, List.of(geth.enode(), second.enode(), third.enode()), dir.resolve("r.json"));
      assertThat(report.get("headHash").asText()).isEqualTo(EthTestChain.HEAD_HASH);
      assertThat(report.get("peers")).hasSize(3);
      for (JsonNode p : report.get("peers")) {
        assertThat(p.get("client").asText()).startsWith("Geth/v1.17.10");
        assertThat(p.has("dropped") && !p.get("dropped").isNull() && p.get("dropped").asBoolean())
            .as(p.toString())
            .isFalse();
      }
      assertAgreesWithGeth(data, third);
    }
  }

  @Test
  void gethAndPeerflowNodesMixedServeOneSync(@TempDir Path dir) throws Exception {
    Path served = dir.resolve("served");
    sync(served, List.of(geth.enode()), dir.resolve("first.json"));
    try (GethNode second = EthTestChain.startGeth();
        ChainStore store = ChainStore.open(served.resolve("chain"));
        EthNode ours =
            EthNode.start(
                EthNodeConfig.builder(NodeKey.generate(), chain)
                    .source(new StoreSource(store, chain))
                    .listen(new java.net.InetSocketAddress("127.0.0.1", 0))
                    .build())) {
      Path data = dir.resolve("data");
      JsonNode report =
          sync(
              data,
              List.of(geth.enode(), second.enode(), ours.enode().orElseThrow().toString()),
              dir.resolve("r.json"));
      assertThat(report.get("headHash").asText()).isEqualTo(EthTestChain.HEAD_HASH);
      List<String> clients = new ArrayList<>();
      for (JsonNode p : report.get("peers")) {
        clients.add(p.get("client").asText());
      }
      assertThat(clients)
          .hasSize(3)
          .anyMatch(c -> c.startsWith("peerflow/"))
          .anyMatch(c -> c.startsWith("Geth/v1.17.10"));
      assertAgreesWithGeth(data, second);
    }
  }

  static JsonNode sync(Path data, List<String> peers, Path json) throws Exception {
    return EthTestChain.sync(data, peers, json);
  }

  /** Every block hash and every receipt in {@code data}'s store against geth's JSON-RPC. */
  static void assertAgreesWithGeth(Path data, GethNode node) throws Exception {
    try (ChainStore store = ChainStore.open(data.resolve("chain"))) {
      assertThat(store.countMissing(Part.HEADERS, 0, EthTestChain.HEAD)).isZero();
      assertThat(store.countMissing(Part.BODIES, 0, EthTestChain.HEAD)).isZero();
      assertThat(store.countMissing(Part.RECEIPTS, 0, EthTestChain.HEAD)).isZero();
      long receipts = 0;
      long logBytes = 0;
      for (long n = 0; n <= EthTestChain.HEAD; n++) {
        String number = "0x" + Long.toHexString(n);
        JsonNode block = node.rpc("eth_getBlockByNumber", number, false);
        Hash hash = store.canonicalHash(n).orElseThrow();
        assertThat(hash.toHex()).as("block %d", n).isEqualTo(block.get("hash").asText());
        List<Receipt> ours = BlockReceipts.decode(store.receipts(hash).orElseThrow()).receipts();
        JsonNode theirs = node.rpc("eth_getBlockReceipts", number);
        assertThat(ours).as("receipts of block %d", n).hasSize(theirs.size());
        for (int i = 0; i < ours.size(); i++) {
          Receipt r = ours.get(i);
          JsonNode t = theirs.get(i);
          String where = "block " + n + " receipt " + i;
          assertThat(r.type()).as(where).isEqualTo(quantity(t.get("type")).intValue());
          assertThat(r.cumulativeGasUsed())
              .as(where)
              .isEqualTo(quantity(t.get("cumulativeGasUsed")).longValueExact());
          assertThat(new BigInteger(1, r.postStateOrStatus()))
              .as(where)
              .isEqualTo(quantity(t.get("status")));
          assertThat(r.logs()).as(where).hasSize(t.get("logs").size());
          for (int j = 0; j < r.logs().size(); j++) {
            Log l = r.logs().get(j);
            JsonNode tl = t.get("logs").get(j);
            assertThat(hex(l.address())).as(where).isEqualTo(tl.get("address").asText());
            List<String> topics = new ArrayList<>();
            tl.get("topics").forEach(x -> topics.add(x.asText()));
            assertThat(l.topics().stream().map(Hash::toHex).toList()).isEqualTo(topics);
            assertThat(hex(l.data())).as(where).isEqualTo(tl.get("data").asText());
            logBytes += l.data().length;
          }
          receipts++;
        }
      }
      assertThat(receipts).isEqualTo(603);
      // Block 11 alone logs 56 times 190,000 bytes.
      assertThat(logBytes).isGreaterThan(10_000_000);
    }
  }

  static BigInteger quantity(JsonNode n) {
    return new BigInteger(n.asText().substring(2), 16);
  }

  static String hex(byte[] b) {
    return "0x" + HexFormat.of().formatHex(b);
  }
}
