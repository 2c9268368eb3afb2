package io.peerflow.chain.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerflow.rlp.RlpException;
import io.peerflow.rlp.RlpReader;
import io.peerflow.rlp.RlpWriter;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TransactionTest {

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void aLegacyTransactionIsAListAndATypedOneAnEnvelope() {
    assertThat(Transaction.of(HEX.parseHex("c3010203")).type()).isZero();
    assertThat(Transaction.of(HEX.parseHex("02c3010203")).type()).isEqualTo(2);
  }

  @Test
  void anEnvelopeOfTypeZeroIsRefused() {
    // Found by TransactionFuzzTest: 0x00 || [] was accepted, then written back into a body as
    // the list [] followed by a stray 0x00, which no longer read as the same transaction.
    assertThatThrownBy(() -> Transaction.of(HEX.parseHex("00c0")))
        .isInstanceOf(RlpException.class)
        .hasMessageContaining("type 0x00");
    RlpReader body = new RlpReader(new RlpWriter().writeBytes(HEX.parseHex("00c0")).toByteArray());
    assertThatThrownBy(() -> Transaction.read(body)).isInstanceOf(RlpException.class);
  }

  @Test
  void aLegacyTransactionWrappedInAStringIsRefusedInABody() {
    // Found by BlockBodyFuzzTest: a body whose transaction list held the string 0x81c0 (the
    // empty list [] as a byte string) was accepted and re-encoded with [] bare, other bytes.
    assertThatThrownBy(() -> BlockBody.decode(HEX.parseHex("c6c381c0c0c0c0")))
        .isInstanceOf(RlpException.class)
        .hasMessageContaining("out of range");
    assertThat(BlockBody.decode(HEX.parseHex("c5c2c1c0c0c0")).transactions()).hasSize(1);
  }
}
