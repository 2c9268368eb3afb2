package io.peerflow.discovery.enr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerflow.eth.forkid.ForkId;
import io.peerflow.rlpx.Enode;
import io.peerflow.rlpx.NodeKey;
import java.net.InetAddress;
import java.util.Base64;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class EnrTest {

  /** EIP-778's example: 127.0.0.1, UDP 30303, sequence number 1. */
  static final String EXAMPLE =
      "enr:-IS4QHCYrYZbAKWCBRlAy5zzaDZXJBGkcnh4MHcBFZntXNFrdvJjX04jRzjzCBOonrkTfj499SZuOh8R33Ls8RRcy5wBgmlkgnY0gmlwhH8AAAGJc2VjcDI1NmsxoQPKY0yuDUmstAHYpMa2_oxVtw0RW_QAdpzBQA8yWM0xOIN1ZHCCdl8";

  static final NodeKey EXAMPLE_KEY =
      NodeKey.fromHex("b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291");

  static final HexFormat HEX = HexFormat.of();

  @Test
  void theEipExampleRecordDecodesToItsPublishedFields() throws Exception {
    Enr enr = Enr.parse(EXAMPLE);
    assertThat(enr.seq()).isEqualTo(1);
    assertThat(enr.ip4()).contains(InetAddress.getByName("127.0.0.1"));
    assertThat(enr.udp()).hasValue(30303);
    assertThat(enr.tcp()).isEmpty();
    assertThat(enr.keys()).containsExactly("id", "ip", "secp256k1", "udp");
    assertThat(HEX.formatHex(IdentityV4.compress(enr.nodeId().bytes())))
        .isEqualTo("03ca634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd3138");
    assertThat(HEX.formatHex(IdentityV4.keccak(enr.nodeId().bytes())))
        .isEqualTo("a448f24c6d18e575453db13171562b71999873db5b286df957af199ec94617f7");
    assertThat(enr.nodeId()).isEqualTo(EXAMPLE_KEY.id());
    assertThat(enr.text()).isEqualTo(EXAMPLE);
  }

  @Test
  void signingTheExampleContentWithTheExampleKeyGivesTheExampleRecord() throws Exception {
    Enr signed =
        Enr.builder().seq(1).ip(InetAddress.getByName("127.0.0.1")).udp(30303).sign(EXAMPLE_KEY);
    // RFC 6979 signatures are deterministic, so the bytes are the EIP's.
    assertThat(signed.text()).isEqualTo(EXAMPLE);
  }

  @Test
  void aRecordWithItsSignatureChangedIsRefused() {
    byte[] rlp = Enr.parse(EXAMPLE).encoded();
    rlp[10] ^= 1;
    assertThatThrownBy(() -> Enr.decode(rlp))
        .isInstanceOf(EnrException.class)
        .hasMessage("signature does not match the record's key");
  }

  @Test
  void aRecordWithAChangedPortIsRefused() {
    byte[] rlp = Enr.parse(EXAMPLE).encoded();
    rlp[rlp.length - 1] ^= 1;
    assertThatThrownBy(() -> Enr.decode(rlp))
        .hasMessage("signature does not match the record's key");
  }

  @Test
  void aRecordOver300BytesIsRefusedBeforeDecoding() {
    assertThatThrownBy(() -> Enr.decode(new byte[301]))
        .isInstanceOf(EnrException.class)
        .hasMessage("record of 301 bytes exceeds 300");
  }

  @Test
  void textWithoutThePrefixIsRefused() {
    assertThatThrownBy(() -> Enr.parse("enode://abc"))
        .isInstanceOf(EnrException.class)
        .hasMessage("a node record starts with enr:");
  }

  @Test
  void theEthEntryCarriesTheForkIdAndTheRecordBecomesAnEnode() throws Exception {
    NodeKey key = NodeKey.generate();
    ForkId forkId = new ForkId(0xfc64ec04, 1150000);
    Enr enr =
        Enr.builder()
            .seq(7)
            .ip(InetAddress.getByName("127.0.0.1"))
            .tcp(30303)
            .udp(30304)
            .ethForkId(forkId)
            .sign(key);
    Enr back = Enr.parse(enr.text());
    assertThat(back).isEqualTo(enr);
    assertThat(back.ethForkId()).contains(forkId);
    assertThat(back.toEnode()).isEqualTo(new Enode(key.id(), "127.0.0.1", 30303, 30304));
  }

  @Test
  void unsortedKeysAreRefused() {
    // [sig, 1, "udp", 1, "id", "v4"]: keys out of order.
    byte[] rlp = HEX.parseHex("d18401020304018375647001826964827634");
    assertThatThrownBy(() -> Enr.decode(rlp)).hasMessage("keys not sorted or repeated at 'id'");
  }

  @Test
  void anUnknownIdentitySchemeIsRefused() {
    byte[] rlp = HEX.parseHex("cc840102030401826964827635");
    assertThatThrownBy(() -> Enr.decode(rlp)).hasMessage("unknown identity scheme 'v5'");
  }

  @Property(tries = 2000)
  void randomBytesNeverEscapeAsAnotherException(@ForAll("records") byte[] bytes) {
    try {
      Enr.decode(bytes);
    } catch (EnrException expected) {
      // the one failure decoders may report
    }
  }

  @Property(tries = 500)
  void randomTextNeverEscapesAsAnotherException(@ForAll("texts") String text) {
    try {
      Enr.parse(text);
    } catch (EnrException expected) {
      // the one failure decoders may report
    }
  }

  @Provide
  Arbitrary<byte[]> records() {
    byte[] example = Enr.parse(EXAMPLE).encoded();
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(320);
    Arbitrary<byte[]> mutated =
        Arbitraries.integers()
            .between(0, example.length - 1)
            .tuple2()
            .map(
                t -> {
                  byte[] b = example.clone();
                  b[t.get1()] = (byte) (b[t.get1()] + t.get2() + 1);
                  return b;
                });
    return Arbitraries.oneOf(random, mutated);
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.bytes()
        .array(byte[].class)
        .ofMaxSize(200)
        .map(b -> "enr:" + Base64.getUrlEncoder().withoutPadding().encodeToString(b));
  }
}
