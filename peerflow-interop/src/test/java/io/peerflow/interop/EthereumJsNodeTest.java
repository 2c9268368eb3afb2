package io.peerflow.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The third-party client itself: that it starts from the shared data and serves that chain. */
class EthereumJsNodeTest {

  private static EthereumJsNode node;

  @BeforeAll
  static void start() throws Exception {
    node = EthereumJsNode.start();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      long pid = node.pid();
      node.close();
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
  }

  @Test
  void servesTheSharedChainUpToBlock2000() throws Exception {
    assertThat(node.rpc("eth_blockNumber").asText()).isEqualTo("0x7d0");
    JsonNode head = node.rpc("eth_getBlockByNumber", "0x7d0", false);
    assertThat(head.get("hash").asText()).isEqualTo(EthereumJsNode.HEAD_HASH);
    JsonNode genesis = node.rpc("eth_getBlockByNumber", "0x0", false);
    assertThat(genesis.get("hash").asText()).isEqualTo(EthereumJsNode.GENESIS_HASH);
  }

  @Test
  void advertisesALoopbackEnode() {
    assertThat(node.enode()).matches("enode://[0-9a-f]{128}@127\\.0\\.0\\.1:\\d+.*");
  }
}
