package io.peerflow.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.Block;
import io.peerflow.chain.block.Transaction;
import io.peerflow.chain.config.GenesisFile;
import io.peerflow.crypto.Keccak256;
import io.peerflow.crypto.Secp256k1;
import io.peerflow.rlp.RlpReader;
import io.peerflow.rlp.RlpWriter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChainGeneratorTest {

  static List<ChainGenerator.GeneratedBlock> take(ChainGenerator g) {
    List<ChainGenerator.GeneratedBlock> out = new ArrayList<>();
    g.blocks().forEachRemaining(out::add);
    return out;
  }

  @Test
  void everyBlockAgreesWithItsHeaderAndLinksToItsParent() {
    ChainGenerator g = new ChainGenerator(new ChainGenerator.Params(100, 30, 1337000, 1));
    List<ChainGenerator.GeneratedBlock> blocks = take(g);
    assertThat(blocks).hasSize(100);
    Hash parent = g.genesis().hash();
    Set<Hash> txHashes = new HashSet<>();
    for (ChainGenerator.GeneratedBlock b : blocks) {
      assertThat(b.block().header().parentHash()).isEqualTo(parent);
      assertThat(b.block().body().mismatch(b.block().header())).isEmpty();
      assertThat(b.receipts().mismatch(b.block().header())).isEmpty();
      assertThat(Block.decode(b.block().rlp())).isEqualTo(b.block());
      b.block().body().transactions().forEach(t -> assertThat(txHashes.add(t.hash())).isTrue());
      parent = b.block().header().hash();
    }
    assertThat(txHashes.size()).isBetween(100 * 15, 100 * 45);
  }

  @Test
  void theSameParametersGiveTheSameChain() {
    ChainGenerator.Params p = new ChainGenerator.Params(40, 20, 1337000, 7);
    List<ChainGenerator.GeneratedBlock> a = take(new ChainGenerator(p));
    List<ChainGenerator.GeneratedBlock> b = take(new ChainGenerator(p));
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i).block().rlp()).isEqualTo(b.get(i).block().rlp());
    }
  }

  @Test
  void theGenesisFileDescribesTheGenesisBlock() {
    ChainGenerator g = new ChainGenerator(new ChainGenerator.Params(1, 1, 99, 3));
    assertThat(GenesisFile.parse(g.genesisJson(), "x").genesisHash()).isEqualTo(g.genesis().hash());
    assertThat(g.genesis().requestsHash()).isNotNull();
  }

  @Test
  void everySignatureRecoversToASenderOfTheChain() throws Exception {
    ChainGenerator g = new ChainGenerator(new ChainGenerator.Params(5, 30, 1337000, 2));
    Set<String> senders = new HashSet<>();
    for (int i = 0; i < ChainGenerator.SENDERS; i++) {
      senders.add(HexFormat.of().formatHex(g.sender(i)));
    }
    Iterator<ChainGenerator.GeneratedBlock> it = g.blocks();
    int checked = 0;
    while (it.hasNext()) {
      for (Transaction t : it.next().block().body().transactions()) {
        assertThat(senders).contains(HexFormat.of().formatHex(recoverSender(t, 1337000)));
        checked++;
      }
    }
    assertThat(checked).isPositive();
  }

  /** Recovers the sender of a signed transaction by rebuilding what was signed. */
  static byte[] recoverSender(Transaction t, long chainId) throws Exception {
    byte[] enc = t.encoding();
    RlpReader r;
    List<byte[]> fields = new ArrayList<>();
    if (t.type() == 0) {
      r = RlpReader.single(enc).readList();
    } else {
      r = RlpReader.single(Arrays.copyOfRange(enc, 1, enc.length)).readList();
    }
    while (r.hasNext()) {
      fields.add(r.readRaw());
    }
    int n = fields.size();
    BigInteger v = new RlpReader(fields.get(n - 3)).readBigInteger(32);
    byte[] rr = new RlpReader(fields.get(n - 2)).readBytes();
    byte[] ss = new RlpReader(fields.get(n - 1)).readBytes();
    RlpWriter w = new RlpWriter().startList();
    for (int i = 0; i < n - 3; i++) {
      w.writeRaw(fields.get(i));
    }
    int recId;
    byte[] signing;
    if (t.type() == 0) {
      w.writeLong(chainId).writeLong(0).writeLong(0);
      signing = w.endList().toByteArray();
      recId = v.subtract(BigInteger.valueOf(chainId * 2 + 35)).intValueExact();
    } else {
      byte[] body = w.endList().toByteArray();
      signing = new byte[body.length + 1];
      signing[0] = (byte) t.type();
      System.arraycopy(body, 0, signing, 1, body.length);
      recId = v.intValueExact();
    }
    byte[] sig = new byte[65];
    System.arraycopy(rr, 0, sig, 32 - rr.length, rr.length);
    System.arraycopy(ss, 0, sig, 64 - ss.length, ss.length);
    sig[64] = (byte) recId;
    byte[] pub = Secp256k1.recover(sig, Keccak256.hash(signing));
    return Arrays.copyOfRange(Keccak256.hash(pub), 12, 32);
  }

  @Test
  void aLegacyTransactionSignsLikeEip155sExample() {
    // EIP-155's worked example (eips.ethereum.org/EIPS/eip-155): key 0x4646..46, nonce 9,
    // gas price 20 gwei, gas 21000, to 0x3535..35, value 1 ether, chain id 1.
    BigInteger key = new BigInteger("46".repeat(32), 16);
    byte[] to = HexFormat.of().parseHex("35".repeat(20));
    ChainGenerator.TxPlan plan =
        new ChainGenerator.TxPlan(
            0,
            0,
            9,
            to,
            new BigInteger("1000000000000000000"),
            new byte[0],
            21000,
            21000,
            List.of());
    byte[] signing =
        new RlpWriter()
            .startList()
            .writeLong(9)
            .writeBigInteger(BigInteger.valueOf(20_000_000_000L))
            .writeLong(21000)
            .writeBytes(to)
            .writeBigInteger(new BigInteger("1000000000000000000"))
            .writeBytes(new byte[0])
            .writeLong(1)
            .writeLong(0)
            .writeLong(0)
            .endList()
            .toByteArray();
    assertThat(HexFormat.of().formatHex(Keccak256.hash(signing)))
        .isEqualTo("daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
    TxSigner.Signature s = TxSigner.sign(key, Keccak256.hash(signing));
    assertThat(s.r())
        .isEqualTo(
            new BigInteger(
                "18515461264373351373200002665853028612451056578545711640558177340181847433846"));
    assertThat(s.s())
        .isEqualTo(
            new BigInteger(
                "46948507304638947509940763649030358759909902576025900602547168820602576006531"));
    assertThat(37 - 2 - s.recoveryId()).isEqualTo(35);
    assertThat(plan.nonce()).isEqualTo(9);
  }
}
