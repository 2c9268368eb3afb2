package io.peerflow.rlpx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class LoopbackGuardTest {

  @Test
  void theTestEnvironmentTurnsTheGuardOn() {
    // Surefire sets PEERFLOW_LOOPBACK_ONLY=1 for every test (root pom), as .ci/run does.
    assertThat(LoopbackGuard.ENVIRONMENT.enabled()).isTrue();
  }

  @Test
  void loopbackAddressesAndLocalhostPass() throws Exception {
    assertThatCode(
            () -> {
              LoopbackGuard.ON.check(new InetSocketAddress("127.0.0.1", 30303), "dial");
              LoopbackGuard.ON.check(new InetSocketAddress("127.8.9.10", 30303), "dial");
              LoopbackGuard.ON.check(new InetSocketAddress(InetAddress.getByName("::1"), 1), "x");
              LoopbackGuard.ON.check(InetSocketAddress.createUnresolved("localhost", 1), "x");
            })
        .doesNotThrowAnyException();
  }

  @Test
  void aPublicAddressIsRefusedNamingTheVariableAndTheTarget() throws Exception {
    InetSocketAddress target = new InetSocketAddress(InetAddress.getByName("18.138.108.67"), 30303);
    assertThatThrownBy(() -> LoopbackGuard.ON.check(target, "UDP send"))
        .isInstanceOf(LoopbackGuard.Refused.class)
        .hasMessage(
            "PEERFLOW_LOOPBACK_ONLY=1: refusing UDP send to /18.138.108.67:30303, not a loopback"
                + " address");
  }

  @Test
  void aHostNameIsRefusedWithoutResolvingIt() {
    InetSocketAddress target = InetSocketAddress.createUnresolved("bootnode.example.org", 30303);
    assertThatThrownBy(() -> LoopbackGuard.ON.check(target, "dial"))
        .hasMessageContaining("refusing dial to bootnode.example.org:30303");
  }

  @Test
  void theGuardOffLetsEverythingThrough() {
    assertThatCode(
            () -> LoopbackGuard.OFF.check(InetSocketAddress.createUnresolved("a.b", 1), "dial"))
        .doesNotThrowAnyException();
  }

  @Test
  void dialingAPublicEnodeFailsBeforeAnyConnectionIsMade() throws Exception {
    NodeKey key = NodeKey.generate();
    try (RlpxHost host = RlpxHost.start(RlpxConfig.builder(key).build())) {
      Enode remote = new Enode(NodeKey.generate().id(), "3.209.45.79", 30303);
      assertThatThrownBy(() -> host.dial(remote).join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(LoopbackGuard.Refused.class)
          .hasMessageContaining("refusing dial to /3.209.45.79:30303");
      assertThat(host.connections()).isEmpty();
    }
  }
}
