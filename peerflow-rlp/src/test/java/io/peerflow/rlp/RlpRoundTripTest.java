package io.peerflow.rlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Positive;
import org.junit.jupiter.api.Test;

class RlpRoundTripTest {

  private static final HexFormat HEX = HexFormat.of();

  private static String hex(byte[] b) {
    return HEX.formatHex(b);
  }

  private static byte[] bytes(String h) {
    return HEX.parseHex(h);
  }

  @Test
  void encodesTheYellowPaperExamples() {
    assertThat(hex(new RlpWriter().writeBytes("dog".getBytes()).toByteArray()))
        .isEqualTo("83646f67");
    assertThat(
            hex(
                new RlpWriter()
                    .startList()
                    .writeBytes("cat".getBytes())
                    .writeBytes("dog".getBytes())
                    .endList()
                    .toByteArray()))
        .isEqualTo("c88363617483646f67");
    assertThat(hex(new RlpWriter().writeBytes(new byte[0]).toByteArray())).isEqualTo("80");
    assertThat(hex(new RlpWriter().writeEmptyList().toByteArray())).isEqualTo("c0");
    assertThat(hex(new RlpWriter().writeLong(0).toByteArray())).isEqualTo("80");
    assertThat(hex(new RlpWriter().writeLong(15).toByteArray())).isEqualTo("0f");
    assertThat(hex(new RlpWriter().writeLong(1024).toByteArray())).isEqualTo("820400");
    // [ [], [[]], [ [], [[]] ] ]
    assertThat(
            hex(
                new RlpWriter()
                    .startList()
                    .writeEmptyList()
                    .startList()
                    .writeEmptyList()
                    .endList()
                    .startList()
                    .writeEmptyList()
                    .startList()
                    .writeEmptyList()
                    .endList()
                    .endList()
                    .endList()
                    .toByteArray()))
        .isEqualTo("c7c0c1c0c3c0c1c0");
  }

  @Test
  void encodesLongStringsAndListsWithLongFormHeaders() {
    byte[] s = "Lorem ipsum dolor sit amet, consectetur adipisicing elit".getBytes();
    byte[] enc = new RlpWriter().writeBytes(s).toByteArray();
    assertThat(hex(enc)).startsWith("b838");
    byte[] list = new RlpWriter().startList().writeBytes(s).endList().toByteArray();
    assertThat(hex(list)).startsWith("f83ab838");
    assertThat(new RlpReader(list).readList().readBytes()).isEqualTo(s);
  }

  @Property
  void longsRoundTrip(@ForAll @Positive long v) {
    byte[] enc = new RlpWriter().writeLong(v).toByteArray();
    RlpReader r = new RlpReader(enc);
    assertThat(r.readLong()).isEqualTo(v);
    r.requireEnd();
  }

  @Property
  void everyUint64BitPatternRoundTripsAndEncodesAsTheUnsignedValue(@ForAll long bits) {
    byte[] enc = new RlpWriter().writeUint64(bits).toByteArray();
    assertThat(RlpReader.single(enc).readUint64()).isEqualTo(bits);
    assertThat(RlpReader.single(enc).readBigInteger(8))
        .isEqualTo(new BigInteger(Long.toUnsignedString(bits)));
  }

  @Test
  void theLargestUint64IsEightBytesOfOnesAndNineBytesAreRefused() {
    assertThat(hex(new RlpWriter().writeUint64(-1L).toByteArray())).isEqualTo("88ffffffffffffffff");
    assertThatThrownBy(() -> RlpReader.single(bytes("89010000000000000000")).readUint64())
        .isInstanceOf(RlpException.class)
        .hasMessageContaining("does not fit in 64 bits");
  }

  @Property
  void byteStringsRoundTripInsideNestedLists(@ForAll byte[] payload, @ForAll byte[] other) {
    byte[] enc =
        new RlpWriter()
            .startList()
            .writeBytes(payload)
            .startList()
            .writeBytes(other)
            .endList()
            .endList()
            .toByteArray();
    RlpReader outer = new RlpReader(enc).readList();
    assertThat(outer.readBytes()).isEqualTo(payload);
    assertThat(outer.readList().readBytes()).isEqualTo(other);
    outer.requireEnd();
  }

  @Test
  void bigIntegersRoundTrip() {
    BigInteger v = BigInteger.TWO.pow(255).add(BigInteger.valueOf(7));
    byte[] enc = new RlpWriter().writeBigInteger(v).toByteArray();
    assertThat(enc).hasSize(33);
    assertThat(new RlpReader(enc).readBigInteger(32)).isEqualTo(v);
  }

  @Test
  void refusesNonCanonicalAndTruncatedInput() {
    assertThatThrownBy(() -> new RlpReader(bytes("8105")).readBytes())
        .isInstanceOf(RlpException.class)
        .hasMessageContaining("non-canonical single byte");
    assertThatThrownBy(() -> new RlpReader(bytes("b80141")).readBytes())
        .isInstanceOf(RlpException.class)
        .hasMessageContaining("non-canonical long-form");
    assertThatThrownBy(() -> new RlpReader(bytes("83646f")).readBytes())
        .isInstanceOf(RlpException.class)
        .hasMessageContaining("only 2 remain");
    assertThatThrownBy(() -> new RlpReader(bytes("820004")).readLong())
        .isInstanceOf(RlpException.class)
        .hasMessageContaining("leading zero");
    assertThatThrownBy(() -> new RlpReader(bytes("bf0000000000000001")).readBytes())
        .isInstanceOf(RlpException.class);
    assertThatThrownBy(() -> new RlpReader(bytes("c3")).readList())
        .isInstanceOf(RlpException.class);
    assertThatThrownBy(() -> new RlpReader(bytes("8080")).requireEnd())
        .isInstanceOf(RlpException.class)
        .hasMessageContaining("trailing");
  }

  @Test
  void hugeDeclaredLengthFailsBeforeAllocating() {
    // 0xbb declares a 4-byte length: 0x7fffffff bytes that are not there.
    assertThatThrownBy(() -> new RlpReader(bytes("bb7fffffff00")).readBytes())
        .isInstanceOf(RlpException.class)
        .hasMessageContaining("remain");
  }

  @Test
  void rawItemsKeepTheirHeaders() {
    byte[] enc = bytes("c88363617483646f67");
    RlpReader r = new RlpReader(enc).readList();
    assertThat(hex(r.readRaw())).isEqualTo("83636174");
    assertThat(r.remainingItems()).isEqualTo(1);
  }
}
