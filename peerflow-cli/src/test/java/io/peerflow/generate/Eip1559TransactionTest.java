package io.peerflow.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.chain.block.Transaction;
import io.peerflow.rlp.RlpReader;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Eip1559TransactionTest {

  @Test
  void theAddressOfKeyOneIsTheWellKnownOne() {
    assertThat(HexFormat.of().formatHex(Eip1559Transaction.address(BigInteger.ONE)))
        .isEqualTo("7e5f4552091a69125d5dfcb7b8c2659029395bdf");
  }

  @Test
  void theEnvelopeIsTypeTwoWithTwelveFieldsAndALowSSignature() {
    byte[] to = new byte[20];
    byte[] tx =
        Eip1559Transaction.sign(
            BigInteger.valueOf(42),
            1337,
            7,
            BigInteger.ONE,
            BigInteger.TEN,
            21_000,
            to,
            BigInteger.TWO,
            new byte[] {1, 2});
    Transaction t = Transaction.of(tx);
    assertThat(t.type()).isEqualTo(2);
    assertThat(t.gasLimit()).isEqualTo(21_000);
    RlpReader fields = RlpReader.single(Arrays.copyOfRange(tx, 1, tx.length)).readList();
    assertThat(fields.remainingItems()).isEqualTo(12);
    assertThat(fields.readLong()).isEqualTo(1337);
    assertThat(fields.readLong()).isEqualTo(7);
    for (int i = 0; i < 7; i++) {
      fields.skip();
    }
    assertThat(fields.readLong()).isBetween(0L, 1L);
    fields.skip();
    BigInteger s = fields.readBigInteger(32);
    BigInteger halfN =
        new BigInteger("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0", 16);
    assertThat(s).isLessThanOrEqualTo(halfN);
  }
}
