package io.peerflow.chain.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.trie.TrieRoot;
import io.peerflow.crypto.Keccak256;
import io.peerflow.rlp.RlpWriter;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a geth-style genesis JSON file into a {@link ChainConfig}, computing the genesis header as
 * go-ethereum does: the state root from the allocation's accounts and storage, the defaults for an
 * unset gas limit, difficulty and base fee, and the fields each fork active at genesis adds.
 * Stateless and thread-safe.
 */
public final class GenesisFile {

  /** go-ethereum's {@code GenesisGasLimit}: the gas limit of a genesis that does not set one. */
  static final long DEFAULT_GAS_LIMIT = 4_712_388L;

  /** go-ethereum's {@code GenesisDifficulty}, for a proof-of-work genesis without a difficulty. */
  static final BigInteger DEFAULT_DIFFICULTY = BigInteger.valueOf(131_072);

  /** EIP-1559's initial base fee, 1 gwei, for a London genesis without {@code baseFeePerGas}. */
  static final BigInteger INITIAL_BASE_FEE = BigInteger.valueOf(1_000_000_000L);

  /** Block-number fork fields in go-ethereum's ChainConfig order. */
  static final String[] BLOCK_FORKS = {
    "homesteadBlock",
    "daoForkBlock",
    "eip150Block",
    "eip155Block",
    "eip158Block",
    "byzantiumBlock",
    "constantinopleBlock",
    "petersburgBlock",
    "istanbulBlock",
    "muirGlacierBlock",
    "berlinBlock",
    "londonBlock",
    "arrowGlacierBlock",
    "grayGlacierBlock",
    "mergeNetsplitBlock",
  };

  /** Timestamp fork fields in go-ethereum's ChainConfig order. */
  static final String[] TIME_FORKS = {
    "shanghaiTime",
    "cancunTime",
    "pragueTime",
    "osakaTime",
    "bpo1Time",
    "bpo2Time",
    "bpo3Time",
    "bpo4Time",
    "bpo5Time",
  };

  private GenesisFile() {}

  /** Reads and computes the file's chain; errors name the file and the field. */
  public static ChainConfig parse(Path file) {
    String json;
    try {
      json = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read genesis file " + file + ": " + e.getMessage(), e);
    }
    String name = file.getFileName().toString().replaceFirst("\\.json$", "");
    try {
      return parse(json, name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("genesis file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Parses genesis JSON text; {@code name} names the chain in messages. */
  public static ChainConfig parse(String json, String name) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "not valid JSON: "
              + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                  ? j.getOriginalMessage()
                  : e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    JsonNode config = root.path("config");
    if (!config.isObject()) {
      throw new IllegalArgumentException("missing the \"config\" object");
    }
    long chainId = number(config, "chainId", null).longValueExact();
    long networkId =
        config.has("networkId") ? number(config, "networkId", null).longValueExact() : chainId;
    long timestamp = number(root, "timestamp", BigInteger.ZERO).longValueExact();
    long blockNumber = number(root, "number", BigInteger.ZERO).longValueExact();

    List<Long> blockForks = new ArrayList<>();
    for (String f : BLOCK_FORKS) {
      if (config.hasNonNull(f)) {
        blockForks.add(number(config, f, null).longValueExact());
      }
    }
    List<Long> timeForks = new ArrayList<>();
    for (String f : TIME_FORKS) {
      // Forks at or before the genesis time are the genesis ruleset, not forks (EIP-6122).
      if (config.hasNonNull(f) && number(config, f, null).longValueExact() > timestamp) {
        timeForks.add(number(config, f, null).longValueExact());
      }
    }
    Long london =
        config.hasNonNull("londonBlock")
            ? number(config, "londonBlock", null).longValueExact()
            : null;
    Long shanghai = optional(config, "shanghaiTime");
    Long cancun = optional(config, "cancunTime");
    Long prague = optional(config, "pragueTime");

    BlockHeader.Builder h =
        BlockHeader.builder()
            .number(blockNumber)
            .nonce(fixedBytes(root, "nonce", 8, true))
            .timestamp(timestamp)
            .parentHash(hash(root, "parentHash"))
            .extraData(bytes(root, "extraData"))
            .gasUsed(number(root, "gasUsed", BigInteger.ZERO).longValueExact())
            .mixHash(hash(root, "mixHash"))
            .coinbase(fixedBytes(root, "coinbase", 20, false))
            .stateRoot(stateRoot(root.path("alloc")));
    long gasLimit = number(root, "gasLimit", BigInteger.ZERO).longValueExact();
    h.gasLimit(gasLimit == 0 ? DEFAULT_GAS_LIMIT : gasLimit);
    if (root.hasNonNull("difficulty")) {
      h.difficulty(number(root, "difficulty", null));
    } else if (!config.has("ethash")) {
      // A genesis with no proof-of-work engine configured starts at difficulty 0, as geth does.
      h.difficulty(BigInteger.ZERO);
    } else {
      h.difficulty(hash(root, "mixHash").equals(Hash.ZERO) ? DEFAULT_DIFFICULTY : BigInteger.ZERO);
    }
    boolean isLondon = london != null && london <= blockNumber;
    if (isLondon) {
      h.baseFee(
          root.hasNonNull("baseFeePerGas")
              ? number(root, "baseFeePerGas", null)
              : INITIAL_BASE_FEE);
    }
    if (isLondon && shanghai != null && shanghai <= timestamp) {
      h.withdrawalsRoot(TrieRoot.EMPTY);
      if (cancun != null && cancun <= timestamp) {
        h.blobGasUsed(number(root, "blobGasUsed", BigInteger.ZERO).longValueExact());
        h.excessBlobGas(number(root, "excessBlobGas", BigInteger.ZERO).longValueExact());
        h.parentBeaconRoot(Hash.ZERO);
        if (prague != null && prague <= timestamp) {
          h.requestsHash(emptyRequestsHash());
        }
      }
    }
    BlockHeader genesis;
    try {
      genesis = h.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid genesis header: " + e.getMessage());
    }
    return new ChainConfig(
        name,
        networkId,
        chainId,
        genesis.hash(),
        genesis,
        blockForks,
        timeForks,
        london,
        shanghai,
        cancun,
        prague);
  }

  /** EIP-7685's commitment to an empty list of requests: sha256 of nothing. */
  static Hash emptyRequestsHash() {
    try {
      return Hash.of(MessageDigest.getInstance("SHA-256").digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * The secure trie of the allocation: keccak(address) to rlp([nonce, balance, storage root, code
   * hash]).
   */
  static Hash stateRoot(JsonNode alloc) {
    if (alloc.isMissingNode() || alloc.isNull()) {
      return TrieRoot.EMPTY;
    }
    if (!alloc.isObject()) {
      throw new IllegalArgumentException("\"alloc\" must be an object of accounts");
    }
    List<byte[]> keys = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = alloc.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      byte[] address = hex("alloc address", e.getKey());
      if (address.length != 20) {
        throw new IllegalArgumentException("alloc address " + e.getKey() + " is not 20 bytes");
      }
      JsonNode acct = e.getValue();
      String where = "alloc." + e.getKey();
      BigInteger nonce = number(acct, "nonce", BigInteger.ZERO);
      BigInteger balance = number(acct, "balance", BigInteger.ZERO);
      byte[] code =
          acct.hasNonNull("code") ? hex(where + ".code", acct.get("code").asText()) : new byte[0];
      Hash storageRoot = storageRoot(acct.path("storage"), where);
      keys.add(Keccak256.hash(address));
      values.add(
          new RlpWriter()
              .startList()
              .writeBigInteger(nonce)
              .writeBigInteger(balance)
              .writeBytes(storageRoot.toArray())
              .writeBytes(Keccak256.hash(code))
              .endList()
              .toByteArray());
    }
    return TrieRoot.of(keys, values);
  }

  private static Hash storageRoot(JsonNode storage, String where) {
    if (storage.isMissingNode() || storage.isNull()) {
      return TrieRoot.EMPTY;
    }
    List<byte[]> keys = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = storage.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      byte[] slot = leftPad(hex(where + ".storage key", e.getKey()), where);
      BigInteger value = new BigInteger(1, hex(where + ".storage value", e.getValue().asText()));
      if (value.signum() == 0) {
        continue; // a zero slot is no slot
      }
      keys.add(Keccak256.hash(slot));
      values.add(new RlpWriter().writeBigInteger(value).toByteArray());
    }
    return TrieRoot.of(keys, values);
  }

  private static byte[] leftPad(byte[] b, String where) {
    if (b.length > 32) {
      throw new IllegalArgumentException(where + ": storage key longer than 32 bytes");
    }
    byte[] out = new byte[32];
    System.arraycopy(b, 0, out, 32 - b.length, b.length);
    return out;
  }

  private static Long optional(JsonNode config, String field) {
    return config.hasNonNull(field) ? number(config, field, null).longValueExact() : null;
  }

  /** A JSON number, or a string of decimal or 0x-hex digits. */
  static BigInteger number(JsonNode node, String field, BigInteger dflt) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (dflt == null) {
        throw new IllegalArgumentException("missing \"" + field + "\"");
      }
      return dflt;
    }
    try {
      BigInteger out;
      if (v.isIntegralNumber()) {
        out = v.bigIntegerValue();
      } else if (v.isTextual()) {
        String s = v.asText().trim();
        out =
            s.startsWith("0x") || s.startsWith("0X")
                ? (s.length() == 2 ? BigInteger.ZERO : new BigInteger(s.substring(2), 16))
                : new BigInteger(s);
      } else {
        throw new NumberFormatException();
      }
      if (out.signum() < 0) {
        throw new NumberFormatException();
      }
      return out;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + field + "\" is not a non-negative number: " + v);
    }
  }

  private static Hash hash(JsonNode root, String field) {
    if (!root.hasNonNull(field)) {
      return Hash.ZERO;
    }
    byte[] b = hex(field, root.get(field).asText());
    if (b.length != 32) {
      throw new IllegalArgumentException("\"" + field + "\" must be 32 bytes");
    }
    return Hash.of(b);
  }

  private static byte[] bytes(JsonNode root, String field) {
    return root.hasNonNull(field) ? hex(field, root.get(field).asText()) : new byte[0];
  }

  /** A fixed-size field; {@code numeric} ones (the nonce) may be given as a shorter number. */
  private static byte[] fixedBytes(JsonNode root, String field, int size, boolean numeric) {
    if (!root.hasNonNull(field)) {
      return new byte[size];
    }
    byte[] b =
        numeric ? number(root, field, null).toByteArray() : hex(field, root.get(field).asText());
    int start = 0;
    while (numeric && b.length - start > size && b[start] == 0) {
      start++;
    }
    if (b.length - start > size || (!numeric && b.length != size)) {
      throw new IllegalArgumentException("\"" + field + "\" must be " + size + " bytes");
    }
    byte[] out = new byte[size];
    System.arraycopy(b, start, out, size - (b.length - start), b.length - start);
    return out;
  }

  static byte[] hex(String field, String s) {
    String h = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
    if (h.length() % 2 == 1) {
      h = "0" + h;
    }
    byte[] out = new byte[h.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(h.charAt(2 * i), 16);
      int lo = Character.digit(h.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        throw new IllegalArgumentException("\"" + field + "\" is not hex: " + s);
      }
      out[i] = (byte) (hi << 4 | lo);
    }
    return out;
  }
}
