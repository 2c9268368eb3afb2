package io.peerflow.rlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.peerflow.testkit.FuzzCorpus;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@link RlpReader} with arbitrary bytes: every input is either read to the end as a tree of
 * items or refused with an {@link RlpException}, never another exception; and since the reader
 * accepts canonical RLP only, whatever it accepts re-encodes to exactly the bytes it read.
 */
class RlpReaderFuzzTest {

  private static final HexFormat HEX = HexFormat.of();

  @FuzzTest(maxDuration = "60s")
  void readsAnyInputOrRefusesItWithAnRlpException(byte[] input) {
    List<Object> items;
    try {
      items = readItems(new RlpReader(input));
    } catch (RlpException refused) {
      return;
    }
    assertThat(encode(items)).isEqualTo(input);
  }

  @Test
  void committedCorpusHoldsTheSeeds() {
    FuzzCorpus.checkSeeds(
        RlpReaderFuzzTest.class, "readsAnyInputOrRefusesItWithAnRlpException", seeds());
  }

  /**
   * Reads every item left in {@code r}: byte strings as {@code byte[]}, lists as {@code List}.
   * Strings also go through the integer readers, whose results must re-encode to the same bytes.
   */
  private static List<Object> readItems(RlpReader r) {
    int expected = r.remainingItems();
    List<Object> out = new ArrayList<>();
    while (r.hasNext()) {
      boolean list = r.nextIsList();
      byte[] raw = r.readRaw();
      if (list) {
        RlpReader whole = RlpReader.single(raw);
        out.add(readItems(whole.readList()));
        whole.requireEnd();
      } else {
        out.add(RlpReader.single(raw).readBytes());
        checkIntegerReaders(raw);
      }
    }
    assertThat(out).hasSize(expected);
    return out;
  }

  private static void checkIntegerReaders(byte[] raw) {
    try {
      long v = RlpReader.single(raw).readLong();
      assertThat(v).isNotNegative();
      assertThat(new RlpWriter().writeLong(v).toByteArray()).isEqualTo(raw);
    } catch (RlpException notA63BitInteger) {
      // Refusing is allowed; only the kind of failure matters.
    }
    try {
      int v = RlpReader.single(raw).readInt();
      assertThat(new RlpWriter().writeLong(v).toByteArray()).isEqualTo(raw);
    } catch (RlpException notA31BitInteger) {
      // As above.
    }
    try {
      BigInteger v = RlpReader.single(raw).readBigInteger(32);
      assertThat(new RlpWriter().writeBigInteger(v).toByteArray()).isEqualTo(raw);
    } catch (RlpException notA256BitInteger) {
      // As above.
    }
  }

  private static byte[] encode(List<Object> items) {
    RlpWriter w = new RlpWriter();
    write(w, items);
    return w.toByteArray();
  }

  @SuppressWarnings("unchecked")
  private static void write(RlpWriter w, List<Object> items) {
    for (Object item : items) {
      if (item instanceof byte[] bytes) {
        w.writeBytes(bytes);
      } else {
        w.startList();
        write(w, (List<Object>) item);
        w.endList();
      }
    }
  }

  /** Valid encodings of every header form, plus the non-canonical forms the reader refuses. */
  static Map<String, byte[]> seeds() {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    seeds.put("string", new RlpWriter().writeBytes(ascii("dog")).toByteArray());
    seeds.put(
        "list",
        new RlpWriter()
            .startList()
            .writeBytes(ascii("cat"))
            .writeBytes(ascii("dog"))
            .endList()
            .toByteArray());
    // [ [], [[]], [ [], [[]] ] ]: the set-theoretical representation of three.
    seeds.put("nested-lists", HEX.parseHex("c7c0c1c0c3c0c1c0"));
    seeds.put("string-56-bytes", new RlpWriter().writeBytes(new byte[56]).toByteArray());
    seeds.put("string-1024-bytes", new RlpWriter().writeBytes(new byte[1024]).toByteArray());
    RlpWriter longList = new RlpWriter().startList();
    for (int i = 0; i < 40; i++) {
      longList.writeLong(1000L * i);
    }
    seeds.put("list-long-form", longList.endList().toByteArray());
    seeds.put(
        "integers",
        new RlpWriter()
            .startList()
            .writeLong(0)
            .writeLong(15)
            .writeLong(1024)
            .writeLong(Long.MAX_VALUE)
            .writeBigInteger(BigInteger.ONE.shiftLeft(255))
            .endList()
            .toByteArray());
    seeds.put("several-items", HEX.parseHex("8364" + "6f67" + "c0" + "80" + "7f"));
    seeds.put("single-byte-wrapped", HEX.parseHex("8105"));
    seeds.put("long-form-for-short-length", HEX.parseHex("b801ff"));
    seeds.put("length-with-leading-zero", HEX.parseHex("b9003800"));
    seeds.put("integer-with-leading-zero", HEX.parseHex("820001"));
    seeds.put("truncated-list", HEX.parseHex("c5836361"));
    seeds.put("huge-declared-length", HEX.parseHex("bbffffffff00"));
    return seeds;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
