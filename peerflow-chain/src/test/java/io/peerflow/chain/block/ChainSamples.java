package io.peerflow.chain.block;

import io.peerflow.chain.Hash;
import io.peerflow.crypto.Keccak256;
import io.peerflow.rlp.RlpReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real chain data for the fuzz tests' seeds: mainnet headers of four forks (from the JSON-RPC
 * answers in {@code src/test/resources/mainnet}), blocks of the shared 2000-block chain with each
 * of its three transaction types, and receipts of every form built with the encoders.
 */
final class ChainSamples {

  private ChainSamples() {}

  /** Mainnet headers from Frontier, Homestead, Shanghai and Prague, by fork. */
  static Map<String, BlockHeader> mainnetHeaders() {
    Map<String, BlockHeader> headers = new LinkedHashMap<>();
    try {
      headers.put("frontier", MainnetHeaderTest.fromRpc(MainnetHeaderTest.load("block-1.json")));
      headers.put(
          "homestead", MainnetHeaderTest.fromRpc(MainnetHeaderTest.load("block-400000.json")));
      headers.put(
          "shanghai", MainnetHeaderTest.fromRpc(MainnetHeaderTest.load("block-18722845.json")));
      headers.put(
          "prague", MainnetHeaderTest.fromRpc(MainnetHeaderTest.load("block-23535880.json")));
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the mainnet samples", e);
    }
    return headers;
  }

  /**
   * The first block of the shared chain that holds a transaction of each type (legacy, EIP-2930,
   * EIP-1559), by type.
   */
  static Map<Integer, Block> gennetBlocksByTransactionType() {
    Path file =
        Path.of(System.getProperty("peerflow.root", "."))
            .resolve("../shared/interop/ethereumjs/gennet-2000.rlp");
    Map<Integer, Block> out = new LinkedHashMap<>();
    try {
      RlpReader in = new RlpReader(Files.readAllBytes(file));
      while (in.hasNext() && out.size() < 3) {
        Block b = Block.read(in);
        for (Transaction t : b.body().transactions()) {
          out.putIfAbsent(t.type(), b);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Receipts of every kind: pre-Byzantium with a state root, failed, typed with logs. */
  static BlockReceipts receipts() {
    byte[] address = new byte[20];
    address[19] = 0x42;
    Hash topic = Hash.of(Keccak256.hash(new byte[] {1}));
    Log transfer = new Log(address, List.of(topic, Hash.ZERO), new byte[] {0, 0, 0, 7});
    Log anonymous = new Log(address, List.of(), new byte[0]);
    List<Receipt> list = new ArrayList<>();
    list.add(new Receipt(0, Keccak256.hash(new byte[] {2}), 21_000, List.of()));
    list.add(Receipt.withStatus(0, false, 42_000, List.of()));
    list.add(Receipt.withStatus(1, true, 90_000, List.of(transfer)));
    list.add(Receipt.withStatus(2, true, 150_000, List.of(transfer, anonymous)));
    list.add(Receipt.withStatus(3, true, 200_000, List.of()));
    return new BlockReceipts(list);
  }
}
