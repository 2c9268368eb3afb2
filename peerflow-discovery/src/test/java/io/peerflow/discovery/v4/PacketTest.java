package io.peerflow.discovery.v4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerflow.discovery.enr.Enr;
import io.peerflow.rlpx.NodeKey;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Against the discovery packets EIP-8 publishes, all signed by one key. */
class PacketTest {

  static final NodeKey KEY =
      NodeKey.fromHex("b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291");

  static final HexFormat HEX = HexFormat.of();

  static final String PING_V4 =
      "e9614ccfd9fc3e74360018522d30e1419a143407ffcce748de3e22116b7e8dc92ff74788c0b6663a"
          + "aa3d67d641936511c8f8d6ad8698b820a7cf9e1be7155e9a241f556658c55428ec0563514365799a"
          + "4be2be5a685a80971ddcfa80cb422cdd0101ec04cb847f000001820cfa8215a8d790000000000000"
          + "000000000000000000018208ae820d058443b9a3550102";

  static final String PING_V555 =
      "577be4349c4dd26768081f58de4c6f375a7a22f3f7adda654d1428637412c3d7fe917cadc56d4e5e"
          + "7ffae1dbe3efffb9849feb71b262de37977e7c7a44e677295680e9e38ab26bee2fcbae207fba3ff3"
          + "d74069a50b902a82c9903ed37cc993c50001f83e82022bd79020010db83c4d001500000000abcdef"
          + "12820cfa8215a8d79020010db885a308d313198a2e037073488208ae82823a8443b9a355c5010203"
          + "040531b9019afde696e582a78fa8d95ea13ce3297d4afb8ba6433e4154caa5ac6431af1b80ba7602"
          + "3fa4090c408f6b4bc3701562c031041d4702971d102c9ab7fa5eed4cd6bab8f7af956f7d565ee191"
          + "7084a95398b6a21eac920fe3dd1345ec0a7ef39367ee69ddf092cbfe5b93e5e568ebc491983c09c7"
          + "6d922dc3";

  static final String PONG =
      "09b2428d83348d27cdf7064ad9024f526cebc19e4958f0fdad87c15eb598dd61d08423e0bf66b206"
          + "9869e1724125f820d851c136684082774f870e614d95a2855d000f05d1648b2d5945470bc187c2d2"
          + "216fbe870f43ed0909009882e176a46b0102f846d79020010db885a308d313198a2e037073488208"
          + "ae82823aa0fbc914b16819237dcd8801d7e53f69e9719adecb3cc0e790c57e91ca4461c9548443b9"
          + "a355c6010203c2040506a0c969a58f6f9095004c0177a6b47f451530cab38966a25cca5cb58f0555"
          + "42124e";

  static final String FINDNODE =
      "c7c44041b9f7c7e41934417ebac9a8e1a4c6298f74553f2fcfdcae6ed6fe53163eb3d2b52e39fe91"
          + "831b8a927bf4fc222c3902202027e5e9eb812195f95d20061ef5cd31d502e47ecb61183f74a504fe"
          + "04c51e73df81f25c4d506b26db4517490103f84eb840ca634cae0d49acb401d8a4c6b6fe8c55b70d"
          + "115bf400769cc1400f3258cd31387574077f301b421bc84df7266c44e9e6d569fc56be0081290476"
          + "7bf5ccd1fc7f8443b9a35582999983999999280dc62cc8255c73471e0a61da0c89acdc0e035e260a"
          + "dd7fc0c04ad9ebf3919644c91cb247affc82b69bd2ca235c71eab8e49737c937a2c396";

  static final String NEIGHBOURS =
      "c679fc8fe0b8b12f06577f2e802d34f6fa257e6137a995f6f4cbfc9ee50ed3710faf6e66f932c4c8"
          + "d81d64343f429651328758b47d3dbc02c4042f0fff6946a50f4a49037a72bb550f3a7872363a83e1"
          + "b9ee6469856c24eb4ef80b7535bcf99c0004f9015bf90150f84d846321163782115c82115db84031"
          + "55e1427f85f10a5c9a7755877748041af1bcd8d474ec065eb33df57a97babf54bfd2103575fa8291"
          + "15d224c523596b401065a97f74010610fce76382c0bf32f84984010203040101b840312c55512422"
          + "cf9b8a4097e9a6ad79402e87a15ae909a4bfefa22398f03d20951933beea1e4dfa6f968212385e82"
          + "9f04c2d314fc2d4e255e0d3bc08792b069dbf8599020010db83c4d001500000000abcdef12820d05"
          + "820d05b84038643200b172dcfef857492156971f0e6aa2c538d8b74010f8e140811d53b98c765dd2"
          + "d96126051913f44582e8c199ad7c6d6819e9a56483f637feaac9448aacf8599020010db885a308d3"
          + "13198a2e037073488203e78203e8b8408dcab8618c3253b558d459da53bd8fa68935a719aff8b811"
          + "197101a4b2b47dd2d47295286fc00cc081bb542d760717d1bdd6bec2c37cd72eca367d6dd3b9df73"
          + "8443b9a355010203b525a138aa34383fec3d2719a0";

  static Endpoint endpoint(String ip, int udp, int tcp) throws Exception {
    return new Endpoint(InetAddress.getByName(ip), udp, tcp);
  }

  @Test
  void pingWithVersion4AndExtraElements() throws Exception {
    Packet p = Packet.decode(HEX.parseHex(PING_V4));
    assertThat(p.sender()).isEqualTo(KEY.id());
    assertThat(p.message())
        .isEqualTo(
            new Message.Ping(
                4,
                endpoint("127.0.0.1", 3322, 5544),
                endpoint("::1", 2222, 3333),
                1136239445,
                OptionalLong.of(1)));
  }

  @Test
  void pingWithVersion555ExtraElementsAndTrailingData() throws Exception {
    Packet p = Packet.decode(HEX.parseHex(PING_V555));
    assertThat(p.sender()).isEqualTo(KEY.id());
    assertThat(p.message())
        .isEqualTo(
            new Message.Ping(
                555,
                endpoint("2001:db8:3c4d:15::abcd:ef12", 3322, 5544),
                endpoint("2001:db8:85a3:8d3:1319:8a2e:370:7348", 2222, 33338),
                1136239445,
                OptionalLong.empty()));
  }

  @Test
  void pongWithExtraElementsAndTrailingData() throws Exception {
    Packet p = Packet.decode(HEX.parseHex(PONG));
    assertThat(p.sender()).isEqualTo(KEY.id());
    Message.Pong pong = (Message.Pong) p.message();
    assertThat(pong.to()).isEqualTo(endpoint("2001:db8:85a3:8d3:1319:8a2e:370:7348", 2222, 33338));
    assertThat(HEX.formatHex(pong.pingHash()))
        .isEqualTo("fbc914b16819237dcd8801d7e53f69e9719adecb3cc0e790c57e91ca4461c954");
    assertThat(pong.expiration()).isEqualTo(1136239445);
  }

  @Test
  void findNodeWithExtraElementsAndTrailingData() throws Exception {
    Packet p = Packet.decode(HEX.parseHex(FINDNODE));
    assertThat(p.sender()).isEqualTo(KEY.id());
    Message.FindNode f = (Message.FindNode) p.message();
    assertThat(HEX.formatHex(f.target()))
        .isEqualTo(
            "ca634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd3138"
                + "7574077f301b421bc84df7266c44e9e6d569fc56be00812904767bf5ccd1fc7f");
    assertThat(f.expiration()).isEqualTo(1136239445);
  }

  @Test
  void neighboursWithExtraElementsAndTrailingData() throws Exception {
    Packet p = Packet.decode(HEX.parseHex(NEIGHBOURS));
    assertThat(p.sender()).isEqualTo(KEY.id());
    Message.Neighbors n = (Message.Neighbors) p.message();
    assertThat(n.expiration()).isEqualTo(1136239445);
    assertThat(n.nodes())
        .extracting(Message.Neighbor::endpoint)
        .containsExactly(
            endpoint("99.33.22.55", 4444, 4445),
            endpoint("1.2.3.4", 1, 1),
            endpoint("2001:db8:3c4d:15::abcd:ef12", 3333, 3333),
            endpoint("2001:db8:85a3:8d3:1319:8a2e:370:7348", 999, 1000));
    assertThat(HEX.formatHex(n.nodes().get(0).id())).startsWith("3155e1427f85f10a");
  }

  @Test
  void everyMessageSurvivesEncodeAndDecode() throws Exception {
    NodeKey key = NodeKey.generate();
    Enr enr = Enr.builder().ip(InetAddress.getByName("127.0.0.1")).udp(1).sign(key);
    List<Message> messages =
        List.of(
            new Message.Ping(
                4, endpoint("127.0.0.1", 1, 2), endpoint("::1", 3, 0), 99, OptionalLong.of(5)),
            new Message.Pong(endpoint("127.0.0.1", 1, 2), new byte[32], 99, OptionalLong.empty()),
            new Message.FindNode(key.id().bytes(), 99),
            new Message.Neighbors(
                List.of(new Message.Neighbor(endpoint("10.0.0.1", 5, 6), key.id().bytes())), 99),
            new Message.EnrRequest(99),
            new Message.EnrResponse(new byte[32], enr));
    for (Message m : messages) {
      Packet.Encoded e = Packet.encode(key, m);
      Packet p = Packet.decode(e.bytes());
      assertThat(p.message()).isEqualTo(m);
      assertThat(p.sender()).isEqualTo(key.id());
      assertThat(p.hash()).isEqualTo(e.hash());
    }
  }

  @Test
  void aChangedByteBreaksTheHash() {
    byte[] b = HEX.parseHex(PING_V4);
    b[b.length - 1] ^= 1;
    assertThatThrownBy(() -> Packet.decode(b))
        .isInstanceOf(PacketException.class)
        .hasMessage("hash does not match the packet");
  }

  @Test
  void anOversizedDatagramIsRefusedBeforeHashing() {
    assertThatThrownBy(() -> Packet.decode(new byte[1281]))
        .hasMessage("packet of 1281 bytes exceeds 1280");
  }

  @Property(tries = 1000)
  void randomBytesNeverEscapeAsAnotherException(@ForAll("datagrams") byte[] bytes) {
    try {
      Packet.decode(bytes);
    } catch (PacketException expected) {
      // the one failure the decoder reports
    }
  }

  /** Random bodies under a valid hash and signature, so decoding reaches the RLP of every type. */
  @Property(tries = 300)
  void randomlySignedDataNeverEscapesAsAnotherException(@ForAll("signedBodies") byte[] bytes) {
    try {
      Packet.decode(bytes);
    } catch (PacketException expected) {
      // the one failure the decoder reports
    }
  }

  @Provide
  Arbitrary<byte[]> datagrams() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(1400);
  }

  @Provide
  Arbitrary<byte[]> signedBodies() {
    return Arbitraries.integers()
        .between(0, 7)
        .flatMap(
            type ->
                Arbitraries.bytes()
                    .array(byte[].class)
                    .ofMaxSize(300)
                    .map(body -> sign(type, body)));
  }

  private static byte[] sign(int type, byte[] body) {
    byte[] signed = new byte[1 + body.length];
    signed[0] = (byte) type;
    System.arraycopy(body, 0, signed, 1, body.length);
    byte[] sig = KEY.sign(io.peerflow.discovery.enr.IdentityV4.keccak(signed));
    byte[] hash = io.peerflow.discovery.enr.IdentityV4.keccak(sig, signed);
    byte[] out = new byte[32 + 65 + signed.length];
    System.arraycopy(hash, 0, out, 0, 32);
    System.arraycopy(sig, 0, out, 32, 65);
    System.arraycopy(signed, 0, out, 97, signed.length);
    return out;
  }
}
