package io.peerflow.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerflow.chain.block.Transaction;
import io.peerflow.chain.config.ChainConfig;
import io.peerflow.cli.StoreSource;
import io.peerflow.eth.EthNode;
import io.peerflow.eth.EthNodeConfig;
import io.peerflow.eth.EthPeer;
import io.peerflow.generate.Eip1559Transaction;
import io.peerflow.rlpx.Enode;
import io.peerflow.rlpx.NodeKey;
import io.peerflow.store.ChainStore;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * geth as a long-lived peer: a geth node that dials our serving node (as a static peer), and one we
 * dial, both stay connected across several of devp2p's ping rounds (go-ethereum pings every 15 s)
 * while each side sends what it normally does, a transaction announcement from geth included.
 */
class GethPeerTest {

  /**
   * Three of geth's 15-second ping rounds and more: a peer whose keep-alive or idle messages we
   * mishandled would be gone by then.
   */
  static final Duration HOLD = Duration.ofSeconds(50);

  static Path work;
  static ChainConfig chain;
  static ChainStore store;

  @BeforeAll
  static void syncTheChain() throws Exception {
    work = Files.createTempDirectory(EthTestChain.workDir(), "peer-");
    chain = ChainConfig.named(EthTestChain.genesis().toString());
    try (GethNode geth = EthTestChain.startGeth()) {
      EthTestChain.sync(work.resolve("data"), List.of(geth.enode()), work.resolve("sync.json"));
    }
    store = ChainStore.open(work.resolve("data").resolve("chain"));
  }

  @AfterAll
  static void close() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void aGethNodeThatDialsOurServingNodeStaysConnected() throws Exception {
    try (EthNode ours =
            EthNode.start(
                EthNodeConfig.builder(NodeKey.generate(), chain)
                    .source(new StoreSource(store, chain))
                    .listen(new InetSocketAddress("127.0.0.1", 0))
                    .build());
        GethNode geth = EthTestChain.startGeth()) {
      String ourEnode = ours.enode().orElseThrow().toString();
      assertThat(geth.rpc("admin_addPeer", ourEnode).asBoolean()).isTrue();
      String ourId = ourEnode.substring("enode://".length(), ourEnode.indexOf('@'));
      awaitUntil(() -> gethLists(geth, ourId) && !ours.peers().isEmpty(), Duration.ofSeconds(60));
      EthPeer gethSeen = ours.peers().get(0);
      assertThat(gethSeen.clientId()).startsWith("Geth/v1.17.10");
      holdConnected(ours, gethSeen, geth, ourId);
    }
  }

  @Test
  void aGethNodeWeDialIsNotDroppedForWhatItSends() throws Exception {
    try (GethNode geth = EthTestChain.startGeth();
        EthNode ours = EthNode.start(EthNodeConfig.builder(NodeKey.generate(), chain).build())) {
      EthPeer peer = ours.dial(Enode.parse(geth.enode())).orTimeout(60, TimeUnit.SECONDS).join();
      String ourId = ours.config().nodeKey().id().toHex().replaceFirst("^0x", "");
      awaitUntil(() -> gethLists(geth, ourId), Duration.ofSeconds(30));
      // A transaction in geth's pool, which geth announces to its peers, us included.
      String sent = sendTransfer(geth);
      awaitUntil(
          () ->
              geth.rpc("eth_getTransactionByHash", sent) != null
                  && !geth.rpc("eth_getTransactionByHash", sent).isNull(),
          Duration.ofSeconds(30));
      assertThat(geth.rpc("txpool_status").get("pending").asText()).isNotEqualTo("0x0");
      holdConnected(ours, peer, geth, ourId);
    }
  }

  /**
   * Sends 1 wei from one of the chain's funded test accounts (its key is in go-ethereum's test
   * data, {@code accounts.json}), signed by our signer; returns the transaction hash geth reports.
   */
  static String sendTransfer(GethNode geth) throws Exception {
    JsonNode accounts =
        new ObjectMapper().readTree(GethNode.moduleTestData().resolve("accounts.json").toFile());
    String address = accounts.fieldNames().next();
    BigInteger key = new BigInteger(accounts.get(address).get("key").asText().substring(2), 16);
    assertThat("0x" + HexFormat.of().formatHex(Eip1559Transaction.address(key)))
        .isEqualToIgnoringCase(address);
    long nonce = Long.decode(geth.rpc("eth_getTransactionCount", address, "latest").asText());
    BigInteger baseFee =
        new BigInteger(
            geth.rpc("eth_getBlockByNumber", "latest", false)
                .get("baseFeePerGas")
                .asText()
                .substring(2),
            16);
    BigInteger tip = BigInteger.valueOf(1_000_000_000L);
    byte[] to = new byte[20];
    to[19] = 0x42;
    byte[] tx =
        Eip1559Transaction.sign(
            key,
            chain.chainId(),
            nonce,
            tip,
            baseFee.shiftLeft(1).add(tip),
            21_000,
            to,
            BigInteger.ONE,
            new byte[0]);
    String hash = geth.rpc("eth_sendRawTransaction", "0x" + HexFormat.of().formatHex(tx)).asText();
    assertThat(hash).isEqualTo(Transaction.of(tx).hash().toHex());
    return hash;
  }

  /** Checks every second for {@link #HOLD} that both sides still have the connection. */
  static void holdConnected(EthNode ours, EthPeer peer, GethNode geth, String ourId)
      throws Exception {
    long end = System.nanoTime() + HOLD.toNanos();
    while (System.nanoTime() < end) {
      assertThat(peer.closeFuture()).as(geth.logTail()).isNotDone();
      assertThat(ours.peers()).contains(peer);
      assertThat(gethLists(geth, ourId)).as(geth.logTail()).isTrue();
      Thread.sleep(1000);
    }
  }

  static boolean gethLists(GethNode geth, String ourId) {
    try {
      for (JsonNode p : geth.rpc("admin_peers")) {
        if (p.get("id").asText().equals(ourId) || p.get("enode").asText().contains(ourId)) {
          return p.path("protocols").has("eth");
        }
      }
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  interface Condition {
    boolean holds() throws Exception;
  }

  static void awaitUntil(Condition c, Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    while (!c.holds()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + timeout);
      }
      Thread.sleep(200);
    }
  }
}
