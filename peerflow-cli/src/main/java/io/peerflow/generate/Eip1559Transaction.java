package io.peerflow.generate;

import io.peerflow.crypto.Keccak256;
import io.peerflow.rlp.RlpWriter;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * EIP-1559 transactions signed with the chain generator's signer, for sending to a client over its
 * JSON-RPC ({@code eth_sendRawTransaction}). Stateless and thread-safe.
 */
public final class Eip1559Transaction {

  private Eip1559Transaction() {}

  /**
   * The signed envelope ({@code 0x02 || rlp([chainId, nonce, tip, maxFee, gas, to, value, data,
   * accessList, yParity, r, s])}) with an empty access list.
   */
  public static byte[] sign(
      BigInteger privateKey,
      long chainId,
      long nonce,
      BigInteger tip,
      BigInteger maxFee,
      long gas,
      byte[] to,
      BigInteger value,
      byte[] data) {
    byte[] unsigned =
        fields(chainId, nonce, tip, maxFee, gas, to, value, data).endList().toByteArray();
    TxSigner.Signature s = TxSigner.sign(privateKey, Keccak256.hash(typed(unsigned)));
    byte[] signed =
        fields(chainId, nonce, tip, maxFee, gas, to, value, data)
            .writeLong(s.recoveryId())
            .writeBigInteger(s.r())
            .writeBigInteger(s.s())
            .endList()
            .toByteArray();
    return typed(signed);
  }

  /** The 20-byte address of a private key: the last 20 bytes of keccak256 of its public key. */
  public static byte[] address(BigInteger privateKey) {
    byte[] h = Keccak256.hash(TxSigner.publicKey(privateKey));
    return Arrays.copyOfRange(h, 12, 32);
  }

  private static RlpWriter fields(
      long chainId,
      long nonce,
      BigInteger tip,
      BigInteger maxFee,
      long gas,
      byte[] to,
      BigInteger value,
      byte[] data) {
    return new RlpWriter(data.length + 200)
        .startList()
        .writeLong(chainId)
        .writeLong(nonce)
        .writeBigInteger(tip)
        .writeBigInteger(maxFee)
        .writeLong(gas)
        .writeBytes(to)
        .writeBigInteger(value)
        .writeBytes(data)
        .writeEmptyList();
  }

  private static byte[] typed(byte[] rlp) {
    byte[] out = new byte[rlp.length + 1];
    out[0] = 2;
    System.arraycopy(rlp, 0, out, 1, rlp.length);
    return out;
  }
}
