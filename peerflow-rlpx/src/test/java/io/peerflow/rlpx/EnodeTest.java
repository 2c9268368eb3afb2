package io.peerflow.rlpx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EnodeTest {

  private static final NodeId ID = NodeKey.generate().id();
  private static final String HEX = ID.toHex();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "@127.0.0.1:30303",
        "@10.3.58.6:30303?discport=30301",
        "@[::1]:30303",
        "@[2001:db8::1]:1?discport=65535",
        "@bootnode.example.org:30303",
        "@localhost:65535"
      })
  void canonicalUrlsRoundTrip(String suffix) {
    String url = "enode://" + HEX + suffix;
    Enode e = Enode.parse(url);
    assertThat(e.toString()).isEqualTo(url);
    assertThat(Enode.parse(e.toString())).isEqualTo(e);
  }

  @Test
  void parsesTheParts() {
    Enode e = Enode.parse("enode://" + HEX.toUpperCase() + "@127.0.0.1:30303?discport=30301");
    assertThat(e.id()).isEqualTo(ID);
    assertThat(e.host()).isEqualTo("127.0.0.1");
    assertThat(e.tcpPort()).isEqualTo(30303);
    assertThat(e.discoveryPort()).isEqualTo(30301);
    assertThat(e.tcpAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", 30303));
    assertThat(
            Enode.parse("  enode://" + HEX + "@[::1]:5  ")
                .tcpAddress()
                .getAddress()
                .isLoopbackAddress())
        .isTrue();
  }

  @Test
  void aDiscoveryPortEqualToTheTcpPortIsNotPrinted() {
    Enode e = Enode.parse("enode://" + HEX + "@127.0.0.1:30303?discport=30303");
    assertThat(e.toString()).isEqualTo("enode://" + HEX + "@127.0.0.1:30303");
    assertThat(new Enode(ID, "127.0.0.1", 30303)).isEqualTo(e);
  }

  @Test
  void hostNamesAreNotResolvedWhenParsed() {
    Enode e = Enode.parse("enode://" + HEX + "@no-such-host.invalid:30303");
    assertThat(e.tcpAddress().isUnresolved()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "http://ID@127.0.0.1:30303 | must start with enode://",
        "enode://ID | missing @host:port",
        "enode://ID127.0.0.1:30303 | missing @host:port",
        "enode://abcd@127.0.0.1:30303 | 128 hex characters, found 4",
        "enode://SHORTID@127.0.0.1:30303 | 128 hex characters, found 127",
        "enode://NOTHEX@127.0.0.1:30303 | not hexadecimal",
        "enode://OFFCURVE@127.0.0.1:30303 | not a valid secp256k1 public key",
        "enode://ID@127.0.0.1 | missing port",
        "enode://ID@127.0.0.1: | missing port",
        "enode://ID@:30303 | missing host",
        "enode://ID@[::1] | missing port",
        "enode://ID@[::1 | unterminated",
        "enode://ID@[::g]:30303 | not an IPv6 address",
        "enode://ID@::1:30303 | must be in [brackets]",
        "enode://ID@127.0.0.256:30303 | not an IPv4 address",
        "enode://ID@1.2.3:30303 | not an IPv4 address",
        "enode://ID@bad_host:30303 | bad host",
        "enode://ID@-bad.example:30303 | bad host",
        "enode://ID@127.0.0.1:0 | out of range 1..65535",
        "enode://ID@127.0.0.1:65536 | out of range 1..65535",
        "enode://ID@127.0.0.1:99999999999 | out of range",
        "enode://ID@127.0.0.1:-1 | not a number",
        "enode://ID@127.0.0.1:port | not a number",
        "enode://ID@127.0.0.1:30303?discport=0 | out of range",
        "enode://ID@127.0.0.1:30303?discport= | missing discport",
        "enode://ID@127.0.0.1:30303?discPort=1 | unknown query parameter",
        "enode://ID@127.0.0.1:30303/path | unexpected path"
      })
  void badUrlsAreRefusedWithTheReason(String template, String reason) {
    // (x, y) = (0, 7): 128 valid hex digits, but 7^2 != 0^3 + 7, so not on the curve.
    String offCurve = "00".repeat(63) + "07";
    String url =
        template
            .replace("SHORTID", HEX.substring(1))
            .replace("NOTHEX", "zz" + HEX.substring(2))
            .replace("OFFCURVE", offCurve)
            .replace("ID", HEX);
    assertThatThrownBy(() -> Enode.parse(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid enode URL '" + url + "'")
        .hasMessageContaining(reason);
  }

  @Test
  void theConstructorValidatesToo() {
    assertThatThrownBy(() -> new Enode(ID, "127.0.0.1", 0)).hasMessageContaining("out of range");
    assertThatThrownBy(() -> new Enode(ID, "", 1)).hasMessageContaining("missing host");
    assertThat(new Enode(ID, "LOCALHOST", 1).host()).isEqualTo("localhost");
  }
}
