package io.peerflow.chain.block;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerflow.chain.Hash;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Headers of the real chain, rebuilt from their JSON-RPC fields, hash to their recorded hashes. */
class MainnetHeaderTest {

  static JsonNode load(String name) throws Exception {
    try (InputStream in = MainnetHeaderTest.class.getResourceAsStream("/mainnet/" + name)) {
      return new ObjectMapper().readTree(in);
    }
  }

  static byte[] hex(JsonNode n) {
    return HexFormat.of().parseHex(n.asText().substring(2));
  }

  static long num(JsonNode n) {
    return Long.parseLong(n.asText().substring(2), 16);
  }

  /** A header from an {@code eth_getBlockByNumber} result, later forks' fields when present. */
  static BlockHeader fromRpc(JsonNode b) {
    BlockHeader.Builder h =
        BlockHeader.builder()
            .parentHash(Hash.of(hex(b.get("parentHash"))))
            .ommersHash(Hash.of(hex(b.get("sha3Uncles"))))
            .coinbase(hex(b.get("miner")))
            .stateRoot(Hash.of(hex(b.get("stateRoot"))))
            .transactionsRoot(Hash.of(hex(b.get("transactionsRoot"))))
            .receiptsRoot(Hash.of(hex(b.get("receiptsRoot"))))
            .logsBloom(hex(b.get("logsBloom")))
            .difficulty(new BigInteger(b.get("difficulty").asText().substring(2), 16))
            .number(num(b.get("number")))
            .gasLimit(num(b.get("gasLimit")))
            .gasUsed(num(b.get("gasUsed")))
            .timestamp(num(b.get("timestamp")))
            .extraData(hex(b.get("extraData")))
            .mixHash(Hash.of(hex(b.get("mixHash"))))
            .nonce(hex(b.get("nonce")));
    if (b.has("baseFeePerGas")) {
      h.baseFee(new BigInteger(b.get("baseFeePerGas").asText().substring(2), 16));
    }
    if (b.has("withdrawalsRoot")) {
      h.withdrawalsRoot(Hash.of(hex(b.get("withdrawalsRoot"))));
    }
    if (b.has("blobGasUsed")) {
      h.blobGasUsed(num(b.get("blobGasUsed"))).excessBlobGas(num(b.get("excessBlobGas")));
      h.parentBeaconRoot(Hash.of(hex(b.get("parentBeaconBlockRoot"))));
    }
    if (b.has("requestsHash")) {
      h.requestsHash(Hash.of(hex(b.get("requestsHash"))));
    }
    return h.build();
  }

  @Test
  void mainnetBlockOneHashesToItsRecordedHashAndLinksToGenesis() throws Exception {
    JsonNode b = load("block-1.json");
    BlockHeader h = fromRpc(b);
    assertThat(h.hash()).isEqualTo(Hash.of(hex(b.get("hash"))));
    // "size" is the whole block: a 3-byte list prefix, the header, and two empty lists.
    assertThat(h.encodedSize()).isEqualTo(num(b.get("size")) - 5);
    assertThat(BlockHeader.decode(h.rlp())).isEqualTo(h);
  }

  @Test
  void mainnetBlock400000FromHomesteadHashesToItsRecordedHash() throws Exception {
    JsonNode b = load("block-400000.json");
    BlockHeader h = fromRpc(b);
    assertThat(h.hash()).isEqualTo(Hash.of(hex(b.get("hash"))));
    assertThat(h.encodedSize()).isEqualTo(num(b.get("size")) - 5);
  }

  @Test
  void mainnetBlock18722845FromShanghaiHashesToItsRecordedHash() throws Exception {
    JsonNode b = load("block-18722845.json");
    BlockHeader h = fromRpc(b);
    assertThat(h.withdrawalsRoot()).isNotNull();
    assertThat(h.hash()).isEqualTo(Hash.of(hex(b.get("hash"))));
  }

  @Test
  void mainnetBlock23535880FromPragueHashesToItsRecordedHashAndItsWithdrawalsToTheirRoot()
      throws Exception {
    JsonNode b = load("block-23535880.json");
    BlockHeader h = fromRpc(b);
    assertThat(h.requestsHash()).isNotNull();
    assertThat(h.hash()).isEqualTo(Hash.of(hex(b.get("hash"))));
    java.util.List<Withdrawal> ws = new java.util.ArrayList<>();
    for (JsonNode w : b.get("withdrawals")) {
      ws.add(
          new Withdrawal(
              num(w.get("index")),
              num(w.get("validatorIndex")),
              hex(w.get("address")),
              num(w.get("amount"))));
    }
    assertThat(new BlockBody(java.util.List.of(), java.util.List.of(), ws).withdrawalsRoot())
        .isEqualTo(h.withdrawalsRoot());
  }
}
