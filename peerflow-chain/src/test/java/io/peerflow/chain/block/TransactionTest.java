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

  /** EIP-155's signing example: nonce 9, 20 gwei, gas limit 21000, 1 ether to 0x3535…. */
  static final String EIP155 =
      "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025"
          + "a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761a"
          + "ecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83";

  @Test
  void aLegacyTransactionsGasLimitIsItsThirdField() {
    Transaction t = Transaction.of(HexFormat.of().parseHex(EIP155));
    assertThat(t.type()).isZero();
    assertThat(t.gasLimit()).isEqualTo(21_000);
  }

  @Test
  void typedTransactionsKeepTheirGasLimitAfterTheFeeFields() {
    assertThat(typed(1, 3, 50_000).gasLimit()).isEqualTo(50_000);
    for (int type = 2; type <= 4; type++) {
      assertThat(typed(type, 4, 1_500_000).gasLimit()).as("type %d", type).isEqualTo(1_500_000);
    }
  }

  @Test
  void aTypeWithoutAKnownLayoutIsRefusedWithItsNumber() {
    assertThatThrownBy(() -> typed(0x7e, 4, 1).gasLimit())
        .isInstanceOf(RlpException.class)
        .hasMessageContaining("type 0x7e has no known gas limit field");
  }

  /** A typed envelope whose field {@code index} is {@code gas} and the others small numbers. */
  static Transaction typed(int type, int index, long gas) {
    RlpWriter w = new RlpWriter().startList();
    for (int i = 0; i < 12; i++) {
      w.writeLong(i == index ? gas : i + 1);
    }
    byte[] payload = w.endList().toByteArray();
    byte[] env = new byte[payload.length + 1];
    env[0] = (byte) type;
    System.arraycopy(payload, 0, env, 1, payload.length);
    return Transaction.of(env);
  }
}
