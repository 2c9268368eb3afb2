package io.peerflow.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockBody;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.config.ChainConfig;
import io.peerflow.eth.EthNode;
import io.peerflow.eth.EthNodeConfig;
import io.peerflow.eth.EthPeer;
import io.peerflow.eth.forkid.ForkId;
import io.peerflow.peers.PeerSet;
import io.peerflow.rlpx.Enode;
import io.peerflow.rlpx.NodeKey;
import io.peerflow.store.ChainStore;
import io.peerflow.store.Part;
import io.peerflow.sync.ChainSync;
import io.peerflow.sync.SyncReport;
import io.peerflow.time.SystemTimer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * peerflow against a client it did not write: the ethereumjs client serving the shared 2000-block
 * chain on loopback, over RLPx, Hello and eth/68 Status; every header and body downloaded and
 * checked against the chain's hashes and the client's own JSON-RPC answers.
 */
class EthereumJsDownloadTest {

  static final Path GENESIS =
      Path.of(System.getProperty("peerflow.root", "."))
          .resolve("../shared/interop/ethereumjs/gennet.json");

  static EthereumJsNode js;
  static ChainConfig chain;
  static EthNode ours;
  static EthPeer peer;

  @BeforeAll
  static void connect() throws Exception {
    js = EthereumJsNode.start();
    chain = ChainConfig.named(GENESIS.toString());
    ours = EthNode.start(EthNodeConfig.builder(NodeKey.generate(), chain).build());
    peer = ours.dial(Enode.parse(js.enode())).orTimeout(30, TimeUnit.SECONDS).join();
  }

  @AfterAll
  static void stop() {
    if (ours != null) {
      ours.close();
    }
    if (js != null) {
      js.close();
    }
  }

  @Test
  void theHandshakeSettlesOnEth68WithTheChainsForkId() {
    assertThat(peer.version()).isEqualTo(68);
    assertThat(peer.clientId()).startsWith("EthereumJS/0.10.5");
    assertThat(peer.status().networkId()).isEqualTo(1337);
    assertThat(peer.status().genesis()).isEqualTo(chain.genesisHash());
    assertThat(peer.status().forkId()).isEqualTo(new ForkId(0x2654e7f0, 0));
    assertThat(peer.headHash().toHex()).isEqualTo(EthereumJsNode.HEAD_HASH);
  }

  @Test
  void everyHeaderAndBodyDownloadsAndMatchesTheClientsOwnAnswers() throws Exception {
    List<BlockHeader> headers = new ArrayList<>();
    for (long from = 0; from <= 2000; from += 1024) {
      int amount = (int) Math.min(1024, 2001 - from);
      headers.addAll(
          peer.requestHeadersByNumber(from, amount, 0, false).get(60, TimeUnit.SECONDS).headers());
    }
    assertThat(headers).hasSize(2001);
    assertThat(headers.get(0).hash()).isEqualTo(chain.genesisHash());
    assertThat(headers.get(2000).hash().toHex()).isEqualTo(EthereumJsNode.HEAD_HASH);
    for (int i = 1; i <= 2000; i++) {
      assertThat(headers.get(i).number()).isEqualTo(i);
      assertThat(headers.get(i).parentHash()).isEqualTo(headers.get(i - 1).hash());
    }
    List<BlockBody> bodies = new ArrayList<>();
    for (int from = 1; from <= 2000; from += 128) {
      List<Hash> hashes = new ArrayList<>();
      for (int n = from; n < Math.min(from + 128, 2001); n++) {
        hashes.add(headers.get(n).hash());
      }
      bodies.addAll(peer.requestBodies(hashes).get(60, TimeUnit.SECONDS).bodies());
    }
    assertThat(bodies).hasSize(2000);
    long txs = 0;
    for (int n = 1; n <= 2000; n++) {
      assertThat(bodies.get(n - 1).mismatch(headers.get(n))).isEmpty();
      txs += bodies.get(n - 1).transactions().size();
    }
    assertThat(txs).isEqualTo(16_001);
    for (int n : new int[] {1, 500, 1234, 2000}) {
      JsonNode b = js.rpc("eth_getBlockByNumber", "0x" + Integer.toHexString(n), false);
      assertThat(b.get("hash").asText()).isEqualTo(headers.get(n).hash().toHex());
      assertThat(b.get("transactionsRoot").asText())
          .isEqualTo(headers.get(n).transactionsRoot().toHex());
      assertThat(b.get("transactions").size()).isEqualTo(bodies.get(n - 1).transactions().size());
      if (bodies.get(n - 1).transactions().size() > 0) {
        assertThat(b.get("transactions").get(0).asText())
            .isEqualTo(bodies.get(n - 1).transactions().get(0).hash().toHex());
      }
    }
  }

  @Test
  void theSyncEngineStoresTheWholeChainFromIt(@TempDir Path dir) throws Exception {
    try (SystemTimer timer = new SystemTimer("interop-sync");
        ChainStore store = ChainStore.open(dir.resolve("chain"))) {
      PeerSet peers = new PeerSet(timer.clock());
      peers.register(peer, peer.version());
      SyncReport r =
          ChainSync.builder(peers, store, timer)
              .range(1, 2000)
              .parts(EnumSet.of(Part.HEADERS, Part.BODIES))
              .build()
              .start()
              .get(120, TimeUnit.SECONDS);
      assertThat(r.headHash().toHex()).isEqualTo(EthereumJsNode.HEAD_HASH);
      assertThat(store.countMissing(Part.BODIES, 1, 2000)).isZero();
      for (int n : new int[] {1, 777, 1999}) {
        JsonNode b = js.rpc("eth_getBlockByNumber", "0x" + Integer.toHexString(n), false);
        assertThat(store.canonicalHash(n).orElseThrow().toHex()).isEqualTo(b.get("hash").asText());
      }
    }
  }

  @Test
  void theSyncCommandStoresTheWholeChainAndReportsIt(@TempDir Path dir) throws Exception {
    var cl = io.peerflow.cli.Peerflow.commandLine();
    var out = new java.io.StringWriter();
    var err = new java.io.StringWriter();
    cl.setOut(new java.io.PrintWriter(out, true));
    cl.setErr(new java.io.PrintWriter(err, true));
    int code =
        cl.execute(
            "sync",
            "--peer",
            js.enode(),
            "--network",
            GENESIS.toString(),
            "--parts",
            "headers,bodies",
            "--datadir",
            dir.resolve("data").toString(),
            "--quiet",
            "--json",
            dir.resolve("r.json").toString());
    assertThat(code).as(err.toString()).isZero();
    JsonNode report =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("r.json").toFile());
    assertThat(report.get("to").asLong()).isEqualTo(2000);
    assertThat(report.get("headHash").asText()).isEqualTo(EthereumJsNode.HEAD_HASH);
    assertThat(report.get("peers").get(0).get("client").asText()).startsWith("EthereumJS/0.10.5");
    try (ChainStore store = ChainStore.open(dir.resolve("data").resolve("chain"))) {
      assertThat(store.countMissing(Part.BODIES, 0, 2000)).isZero();
      for (int n : new int[] {0, 1, 1000, 2000}) {
        JsonNode b = js.rpc("eth_getBlockByNumber", "0x" + Integer.toHexString(n), false);
        assertThat(store.canonicalHash(n).orElseThrow().toHex()).isEqualTo(b.get("hash").asText());
      }
    }
  }
}
