package io.peerflow.era;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlift.compress.snappy.SnappyFramedInputStream;
import io.airlift.compress.snappy.SnappyFramedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SnappyFramingTest {

  @Property(tries = 200)
  void whatIsCompressedDecompressesToItself(@ForAll @Size(max = 200_000) byte[] data) {
    assertThat(SnappyFraming.decompress(SnappyFraming.compress(data), "x")).isEqualTo(data);
  }

  @Property(tries = 100)
  void aircompressorsFramedStreamReadsWhatWeWriteAndTheOtherWayRound(
      @ForAll @Size(max = 150_000) byte[] data) throws IOException {
    byte[] ours = SnappyFraming.compress(data);
    try (SnappyFramedInputStream in = new SnappyFramedInputStream(new ByteArrayInputStream(ours))) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    ByteArrayOutputStream theirs = new ByteArrayOutputStream();
    try (SnappyFramedOutputStream out = new SnappyFramedOutputStream(theirs)) {
      out.write(data);
    }
    assertThat(SnappyFraming.decompress(theirs.toByteArray(), "x")).isEqualTo(data);
  }

  @Property(tries = 2000)
  void arbitraryBytesDecompressOrFailWithOneLine(@ForAll @Size(max = 300) byte[] tail) {
    byte[] framed = new byte[10 + tail.length];
    System.arraycopy(SnappyFraming.compress(new byte[0]), 0, framed, 0, 10);
    System.arraycopy(tail, 0, framed, 10, tail.length);
    try {
      SnappyFraming.decompress(framed, "record");
    } catch (EraException e) {
      assertThat(e.getMessage()).startsWith("record ").doesNotContain("\n");
    }
  }

  @Test
  void aFlippedCompressedByteIsACheckOrFormatFailure() {
    byte[] data = new byte[5000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i % 7);
    }
    byte[] framed = SnappyFraming.compress(data);
    framed[framed.length - 3] ^= 1;
    assertThatThrownBy(() -> SnappyFraming.decompress(framed, "block #3: body record"))
        .isInstanceOf(EraException.class)
        .hasMessageStartingWith("block #3: body record is not valid snappy-framed data");
  }

  @Test
  void aChunkClaimingMoreThan64KiBIsRefusedBeforeAllocating() {
    byte[] framed = {
      (byte) 0xff,
      6,
      0,
      0,
      's',
      'N',
      'a',
      'P',
      'p',
      'Y',
      0,
      9,
      0,
      0,
      0,
      0,
      0,
      0,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      0x0f
    };
    assertThatThrownBy(() -> SnappyFraming.decompress(framed, "r"))
        .hasMessageContaining("compressed chunk claims");
  }
}
