package io.peerflow.rlpx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RlpxConfigTest {

  private final NodeKey key = NodeKey.generate(HandshakePair.RANDOM);

  @Test
  void defaultsFollowTheSpecAndGoEthereum() {
    RlpxConfig c = RlpxConfig.builder(key).build();
    assertThat(c.maxMessageSize()).isEqualTo(16 * 1024 * 1024);
    assertThat(c.handshakeTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.pingInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.disconnectLinger()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.subprotocols()).isEmpty();
    assertThat(c.nodeKey()).isSameAs(key);
  }

  @Test
  void aCapabilityCanBeRegisteredOnlyOncePerVersion() {
    ProtocolHandlerFactory f = s -> null;
    RlpxConfig.Builder b =
        RlpxConfig.builder(key)
            .subprotocol(new Capability("eth", 67, 17), f)
            .subprotocol(new Capability("eth", 68, 17), f);
    assertThat(b.build().subprotocols()).hasSize(2);
    b.subprotocol(new Capability("eth", 68, 17), f);
    assertThatThrownBy(b::build).hasMessageContaining("eth/68 added twice");
  }

  @Test
  void nonsensicalSettingsAreRefused() {
    RlpxConfig.Builder b = RlpxConfig.builder(key);
    assertThatThrownBy(() -> b.handshakeTimeout(Duration.ZERO)).hasMessageContaining("positive");
    assertThatThrownBy(() -> b.idleTimeout(Duration.ofSeconds(-1)))
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> b.disconnectLinger(Duration.ofMillis(-1)))
        .hasMessageContaining("negative");
    assertThatThrownBy(() -> b.maxMessageSize(16 * 1024 * 1024 + 1))
        .hasMessageContaining("maxMessageSize");
    assertThatThrownBy(() -> b.eventLoopThreads(0)).hasMessageContaining("at least 1");
    assertThat(b.disconnectLinger(Duration.ZERO).build().disconnectLinger()).isZero();
  }
}
