package io.peerflow.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.msgrate.Tracker;
import io.peerflow.time.VirtualTime;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class PeerConnectionPropertiesTest {

  @Property(tries = 40)
  void lackingSetNeverExceedsItsBoundAndKeepsTheLatestMark(
      @ForAll @Size(min = 3000, max = 9000) List<@IntRange(min = 0, max = 6000) Integer> marks) {
    PeerConnection peer =
        new PeerConnection(new FakePeer("p"), 66, new Tracker(Map.of(), 0), new VirtualTime());
    for (int m : marks) {
      peer.markLacking(FakePeer.hash(m));
      assertThat(peer.lackingCount()).isLessThanOrEqualTo(PeerConnection.MAX_LACKING_HASHES);
    }
    assertThat(peer.lacks(FakePeer.hash(marks.get(marks.size() - 1)))).isTrue();
    long distinct = marks.stream().distinct().count();
    assertThat(peer.lackingCount())
        .isEqualTo((int) Math.min(distinct, PeerConnection.MAX_LACKING_HASHES));
  }
}
