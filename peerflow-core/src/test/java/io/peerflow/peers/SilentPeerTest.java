package io.peerflow.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.chain.Hash;
import java.util.List;
import org.junit.jupiter.api.Test;

class SilentPeerTest {

  private final SilentPeer peer = new SilentPeer("quiet");

  @Test
  void keepsItsId() {
    assertThat(peer.id()).isEqualTo("quiet");
  }

  @Test
  void acceptsEveryRequestAndAnswersNone() {
    Hash h = Hash.of(new byte[32]);
    assertThat(peer.requestHeadersByNumber(1, 10, 0, false)).isNotDone();
    assertThat(peer.requestHeadersByHash(h, 1, 0, false)).isNotDone();
    assertThat(peer.requestBodies(List.of(h))).isNotDone();
    assertThat(peer.requestReceipts(List.of(h))).isNotDone();
    assertThat(peer.requestNodeData(List.of(h))).isNotDone();
  }

  @Test
  void handsOutAFreshFutureForEveryRequest() {
    assertThat(peer.requestBodies(List.of())).isNotSameAs(peer.requestBodies(List.of()));
  }
}
