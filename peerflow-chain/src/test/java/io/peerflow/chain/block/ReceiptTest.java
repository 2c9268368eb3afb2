package io.peerflow.chain.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerflow.rlp.RlpException;
import io.peerflow.rlp.RlpReader;
import io.peerflow.rlp.RlpWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceiptTest {

  private static Receipt eth68RoundTrip(Receipt r) {
    RlpWriter w = new RlpWriter();
    r.writeEth68(w);
    return Receipt.readEth68(new RlpReader(w.toByteArray()));
  }

  @Test
  void legacyAndTypedReceiptsRoundTripInEth68sForm() {
    Receipt legacy = Receipt.withStatus(0, true, 21_000, List.of());
    Receipt typed = Receipt.withStatus(2, false, 42_000, List.of());
    assertThat(eth68RoundTrip(legacy)).isEqualTo(legacy);
    assertThat(eth68RoundTrip(typed)).isEqualTo(typed);
  }

  @Test
  void anEth68EnvelopeOfTypeZeroIsRefused() {
    // Seeded into BlockReceiptsFuzzTest's corpus: a legacy receipt behind a 0x00 type byte, in a
    // string, was accepted and written back as the bare list, other bytes than were received.
    byte[] legacy = Receipt.withStatus(0, true, 21_000, List.of()).consensusEncoding();
    byte[] typeZero = new byte[legacy.length + 1];
    System.arraycopy(legacy, 0, typeZero, 1, legacy.length);
    RlpReader in = new RlpReader(new RlpWriter().writeBytes(typeZero).toByteArray());
    assertThatThrownBy(() -> Receipt.readEth68(in))
        .isInstanceOf(RlpException.class)
        .hasMessageContaining("type 0x00");
  }
}
