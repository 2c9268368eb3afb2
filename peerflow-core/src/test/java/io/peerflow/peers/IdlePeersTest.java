package io.peerflow.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerflow.msgrate.Tracker;
import io.peerflow.time.VirtualTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdlePeersTest {

  private static PeerConnection peer(String id) {
    return new PeerConnection(new FakePeer(id), 66, new Tracker(Map.of(), 0), new VirtualTime());
  }

  @Test
  void pairsEachPeerWithTheCapacityItWasRankedBy() {
    PeerConnection a = peer("a");
    PeerConnection b = peer("b");
    IdlePeers idle = new IdlePeers(new PeerConnection[] {a, b}, new int[] {9, 3}, 5);
    assertThat(idle.peers()).containsExactly(a, b);
    assertThat(idle.capacity(0)).isEqualTo(9);
    assertThat(idle.capacity(1)).isEqualTo(3);
    assertThat(idle.total()).isEqualTo(5);
  }

  @Test
  void cannotBeModifiedFromOutside() {
    IdlePeers idle = new IdlePeers(new PeerConnection[] {peer("a")}, new int[] {7}, 1);
    idle.capacities()[0] = 1;
    assertThat(idle.capacity(0)).isEqualTo(7);
    assertThatThrownBy(() -> idle.peers().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
