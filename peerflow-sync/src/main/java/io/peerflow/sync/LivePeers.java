package io.peerflow.sync;

import io.peerflow.fetch.PeerStats;
import io.peerflow.peers.MessageKind;
import io.peerflow.peers.PeerConnection;
import io.peerflow.store.Part;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges the schedulers' per-kind statistics, the set's connected peers and the sync's drops and
 * departures into the live rows of a {@link SyncProgress}. Stateless.
 */
final class LivePeers {

  private LivePeers() {}

  /**
   * One row per connected peer (capacities at {@code targetRoundTrip}), then one per dropped peer,
   * then one per peer that left and has not come back.
   */
  static List<SyncProgress.LivePeer> build(
      Set<Part> parts,
      Map<Part, List<PeerStats>> stats,
      List<PeerConnection> connected,
      long targetRoundTrip,
      Map<String, String> drops,
      Map<String, String> lefts) {
    Map<String, long[]> counts = new LinkedHashMap<>();
    for (List<PeerStats> list : stats.values()) {
      for (PeerStats s : list) {
        long[] c = counts.computeIfAbsent(s.id(), k -> new long[2]);
        c[0] += s.itemsAccepted();
        c[1] += s.timeouts();
      }
    }
    List<SyncProgress.LivePeer> live = new ArrayList<>();
    for (PeerConnection c : connected) {
      Map<Part, Integer> cap = new EnumMap<>(Part.class);
      for (Part p : parts) {
        cap.put(p, c.capacity(kindOf(p), targetRoundTrip));
      }
      long[] n = counts.getOrDefault(c.id(), new long[2]);
      live.add(
          new SyncProgress.LivePeer(
              c.id(), cap, c.tracker().roundTrip() / 1e6, n[0], n[1], null, null));
    }
    drops.forEach(
        (id, why) -> {
          long[] n = counts.getOrDefault(id, new long[2]);
          live.add(new SyncProgress.LivePeer(id, Map.of(), 0, n[0], n[1], why, null));
        });
    lefts.forEach(
        (id, why) -> {
          if (!drops.containsKey(id) && connected.stream().noneMatch(c -> c.id().equals(id))) {
            long[] n = counts.getOrDefault(id, new long[2]);
            live.add(new SyncProgress.LivePeer(id, Map.of(), 0, n[0], n[1], null, why));
          }
        });
    return live;
  }

  static MessageKind kindOf(Part p) {
    return switch (p) {
      case HEADERS -> MessageKind.HEADERS;
      case BODIES -> MessageKind.BODIES;
      case RECEIPTS -> MessageKind.RECEIPTS;
    };
  }
}
