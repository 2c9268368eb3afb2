package io.peerflow.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.fetch.PeerStats;
import io.peerflow.peers.MessageKind;
import io.peerflow.peers.PeerConnection;
import io.peerflow.peers.PeerSet;
import io.peerflow.peers.SilentPeer;
import io.peerflow.store.Part;
import io.peerflow.time.VirtualTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LivePeersTest {

  final PeerSet peers = new PeerSet(new VirtualTime());

  static PeerStats stats(String id, long accepted, long timeouts) {
    return new PeerStats(id, 3, accepted, accepted, timeouts, 0, null, 1.0);
  }

  @Test
  void connectedPeersThenDroppedThenDepartedEachOnceWithTheirCounts() {
    PeerConnection a = peers.register(new SilentPeer("a"), 68);
    Map<Part, List<PeerStats>> stats =
        Map.of(
            Part.HEADERS, List.of(stats("a", 10, 1), stats("liar", 5, 0)),
            Part.BODIES, List.of(stats("a", 7, 2)));
    List<SyncProgress.LivePeer> rows =
        LivePeers.build(
            EnumSet.of(Part.HEADERS, Part.BODIES),
            stats,
            peers.peers(),
            1_000_000_000L,
            Map.of("liar", "invalid delivery: x"),
            Map.of("gone", "disconnected: too many peers", "a", "came back since"));

    assertThat(rows).extracting(SyncProgress.LivePeer::id).containsExactly("a", "liar", "gone");
    SyncProgress.LivePeer first = rows.get(0);
    assertThat(first.items()).isEqualTo(17);
    assertThat(first.timeouts()).isEqualTo(3);
    assertThat(first.state()).isEqualTo("ok");
    assertThat(first.capacity().keySet()).containsExactly(Part.HEADERS, Part.BODIES);
    assertThat(first.capacity().get(Part.BODIES))
        .isEqualTo(a.capacity(MessageKind.BODIES, 1_000_000_000L));
    assertThat(rows.get(1).state()).isEqualTo("dropped: invalid delivery: x");
    assertThat(rows.get(1).items()).isEqualTo(5);
    assertThat(rows.get(2).state()).isEqualTo("left: disconnected: too many peers");
  }
}
