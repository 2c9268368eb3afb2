package io.peerflow.eth.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockBody;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.block.BlockReceipts;
import io.peerflow.rlp.RlpException;
import io.peerflow.testkit.FuzzCorpus;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes every eth request and answer decoder of {@link EthMessages}: GetBlockHeaders, the
 * hash-list requests (GetBlockBodies, GetReceipts, GetPooledTransactions), BlockHeaders,
 * BlockBodies, Receipts in eth/68's and eth/69's forms, and BlockRangeUpdate. Each payload is
 * decoded or refused with an {@link RlpException}, which the session turns into a breach of
 * protocol; whatever is decoded encodes back to the same message. The answers' targets take the
 * number of items asked for from the input's first byte, so answers with too many are reached.
 */
class EthMessagesFuzzTest {

  private static final HexFormat HEX = HexFormat.of();

  @FuzzTest(maxDuration = "60s")
  void decodesAnyHeadersRequestOrRefusesIt(byte[] payload) {
    EthMessages.HeadersRequest q;
    try {
      q = EthMessages.HeadersRequest.decode(payload);
    } catch (RlpException refused) {
      return;
    }
    assertThat(EthMessages.HeadersRequest.decode(q.encode())).isEqualTo(q);
  }

  @FuzzTest(maxDuration = "60s")
  void decodesAnyHashesRequestOrRefusesIt(byte[] payload) {
    EthMessages.HashesRequest q;
    try {
      q = EthMessages.HashesRequest.decode(payload, 1024);
    } catch (RlpException refused) {
      return;
    }
    assertThat(EthMessages.requestId(payload)).isEqualTo(q.id());
    assertThat(EthMessages.HashesRequest.decode(q.encode(), 1024)).isEqualTo(q);
  }

  @FuzzTest(maxDuration = "60s")
  void decodesAnyBlockHeadersOrRefusesThem(byte[] input) {
    if (input.length == 0) {
      return;
    }
    EthMessages.Response<BlockHeader> r;
    byte[] payload = Arrays.copyOfRange(input, 1, input.length);
    try {
      r = EthMessages.decodeBlockHeaders(payload, input[0] & 0xff);
    } catch (RlpException refused) {
      return;
    }
    assertThat(r.items()).hasSizeLessThanOrEqualTo(input[0] & 0xff);
    List<byte[]> rlps = r.items().stream().map(BlockHeader::rlp).toList();
    assertThat(EthMessages.blockHeaders(r.id(), rlps)).isEqualTo(payload);
  }

  @FuzzTest(maxDuration = "60s")
  void decodesAnyBlockBodiesOrRefusesThem(byte[] input) {
    if (input.length == 0) {
      return;
    }
    EthMessages.Response<BlockBody> r;
    byte[] payload = Arrays.copyOfRange(input, 1, input.length);
    try {
      r = EthMessages.decodeBlockBodies(payload, input[0] & 0xff);
    } catch (RlpException refused) {
      return;
    }
    assertThat(r.items()).hasSizeLessThanOrEqualTo(input[0] & 0xff);
    List<byte[]> rlps = r.items().stream().map(BlockBody::rlp).toList();
    assertThat(EthMessages.blockBodies(r.id(), rlps)).isEqualTo(payload);
  }

  /** The first byte: bit 0 picks the form (0: eth/68, 1: eth/69), the rest how many were asked. */
  @FuzzTest(maxDuration = "60s")
  void decodesAnyReceiptsOrRefusesThem(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int version = (input[0] & 1) == 0 ? 68 : 69;
    int asked = (input[0] & 0xff) >>> 1;
    EthMessages.Response<BlockReceipts> r;
    byte[] payload = Arrays.copyOfRange(input, 1, input.length);
    try {
      r = EthMessages.decodeReceipts(version, payload, asked);
    } catch (RlpException refused) {
      return;
    }
    assertThat(r.items()).hasSizeLessThanOrEqualTo(asked);
    assertThat(EthMessages.receipts(version, r.id(), r.items())).isEqualTo(payload);
  }

  @FuzzTest(maxDuration = "60s")
  void decodesAnyBlockRangeUpdateOrRefusesIt(byte[] payload) {
    EthMessages.BlockRange b;
    try {
      b = EthMessages.BlockRange.decode(payload);
    } catch (RlpException refused) {
      return;
    }
    assertThat(b.earliest()).isLessThanOrEqualTo(b.latest());
    assertThat(EthMessages.BlockRange.decode(b.encode())).isEqualTo(b);
  }

  @Test
  void committedCorporaHoldTheSeeds() {
    WireSamples chain = new WireSamples();
    Hash h = chain.headers.get(1).hash();
    Map<String, byte[]> headersRequests = new LinkedHashMap<>();
    headersRequests.put(
        "by-number", new EthMessages.HeadersRequest(7, null, 1_000_000, 192, 0, false).encode());
    headersRequests.put(
        "by-hash-reverse-skipping", new EthMessages.HeadersRequest(8, h, 0, 64, 3, true).encode());
    headersRequests.put("reverse-flag-2", HEX.parseHex("c807c68203e8800102"));
    check("decodesAnyHeadersRequestOrRefusesIt", headersRequests);

    Map<String, byte[]> hashesRequests = new LinkedHashMap<>();
    hashesRequests.put(
        "three-hashes",
        new EthMessages.HashesRequest(9, chain.headers.stream().map(BlockHeader::hash).toList())
            .encode());
    hashesRequests.put("empty", new EthMessages.HashesRequest(10, List.of()).encode());
    hashesRequests.put("short-hash", HEX.parseHex("c60bc4830a0b0c"));
    check("decodesAnyHashesRequestOrRefusesIt", hashesRequests);

    Map<String, byte[]> headers = new LinkedHashMap<>();
    headers.put("three-asked-three", asked(3, EthMessages.blockHeaders(9, chain.headerRlps())));
    headers.put("three-asked-two", asked(2, EthMessages.blockHeaders(9, chain.headerRlps())));
    headers.put("none", asked(1, EthMessages.blockHeaders(9, List.of())));
    check("decodesAnyBlockHeadersOrRefusesThem", headers);

    Map<String, byte[]> bodies = new LinkedHashMap<>();
    bodies.put("three-asked-three", asked(3, EthMessages.blockBodies(11, chain.bodyRlps())));
    bodies.put("three-asked-one", asked(1, EthMessages.blockBodies(11, chain.bodyRlps())));
    check("decodesAnyBlockBodiesOrRefusesThem", bodies);

    Map<String, byte[]> receipts = new LinkedHashMap<>();
    receipts.put("eth68", asked(3 << 1, EthMessages.receipts(68, 12, chain.receipts)));
    receipts.put("eth69", asked(3 << 1 | 1, EthMessages.receipts(69, 12, chain.receipts)));
    receipts.put("eth69-too-many", asked(1 << 1 | 1, EthMessages.receipts(69, 12, chain.receipts)));
    check("decodesAnyReceiptsOrRefusesThem", receipts);

    Map<String, byte[]> ranges = new LinkedHashMap<>();
    ranges.put("range", new EthMessages.BlockRange(0, 3, chain.headers.get(2).hash()).encode());
    ranges.put("empty-range", new EthMessages.BlockRange(5, 4, h).encode());
    check("decodesAnyBlockRangeUpdateOrRefusesIt", ranges);
  }

  private static void check(String method, Map<String, byte[]> seeds) {
    FuzzCorpus.checkSeeds(EthMessagesFuzzTest.class, method, seeds);
  }

  private static byte[] asked(int first, byte[] payload) {
    byte[] out = new byte[payload.length + 1];
    out[0] = (byte) first;
    System.arraycopy(payload, 0, out, 1, payload.length);
    return out;
  }
}
