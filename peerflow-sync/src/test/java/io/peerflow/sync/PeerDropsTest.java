package io.peerflow.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.fetch.DropReason;
import io.peerflow.peers.PeerConnection;
import io.peerflow.peers.PeerSet;
import io.peerflow.peers.SilentPeer;
import io.peerflow.time.VirtualTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerDropsTest {

  final PeerSet peers = new PeerSet(new VirtualTime());
  final List<String> disconnected = new ArrayList<>();
  final List<PeerConnection> disconnectedConnections = new ArrayList<>();
  final PeerDrops drops =
      new PeerDrops(
          peers,
          (peer, reason, detail) -> {
            disconnected.add(peer.id() + " " + reason.text() + " " + detail);
            disconnectedConnections.add(peer);
          });

  @Test
  void droppingAPeerUnregistersItRecordsWhyAndHasItDisconnected() {
    PeerConnection a = peers.register(new SilentPeer("a"), 68);
    drops.drop(a, DropReason.INVALID_DELIVERY, "header #5 does not link to its parent");
    assertThat(peers.peer("a")).isEmpty();
    assertThat(drops.drops())
        .containsExactlyEntriesOf(
            java.util.Map.of("a", "invalid delivery: header #5 does not link to its parent"));
    assertThat(disconnected)
        .containsExactly("a invalid delivery header #5 does not link to its parent");
  }

  @Test
  void aPeerOnAnotherChainIsNotCalledALiar() {
    PeerConnection a = peers.register(new SilentPeer("a"), 68);
    drops.drop(a, DropReason.ANOTHER_CHAIN, "reports block #9 as 0x01, the majority 0x02");
    assertThat(drops.drops().get("a"))
        .isEqualTo("on another chain: reports block #9 as 0x01, the majority 0x02");
  }

  @Test
  void theFirstReasonForAPeerIsTheOneKept() {
    PeerConnection a = peers.register(new SilentPeer("a"), 68);
    drops.drop(a, DropReason.STALLING, "");
    drops.drop(a, DropReason.INVALID_DELIVERY, "late");
    assertThat(drops.drops().get("a")).isEqualTo("stalling");
  }

  @Test
  void aLateDropOfAnOldConnectionLeavesThePeerThatReconnectedUnderTheSameId() {
    PeerConnection old = peers.register(new SilentPeer("a"), 68);
    peers.unregister("a"); // its connection ended
    PeerConnection again = peers.register(new SilentPeer("a"), 68); // and it dialled back in

    // A header segment the old connection delivered earlier turns out not to link.
    drops.drop(old, DropReason.INVALID_DELIVERY, "header #7 is not on the chain of the anchor");

    assertThat(peers.peer("a")).containsSame(again);
    assertThat(drops.drops()).isEmpty();
    assertThat(disconnectedConnections).containsExactly(old);
  }

  @Test
  void aDeparturesReasonIsKeptApartFromDrops() {
    drops.left("b", "disconnected: too many peers");
    assertThat(drops.lefts()).containsEntry("b", "disconnected: too many peers");
    assertThat(drops.drops()).isEmpty();
  }
}
