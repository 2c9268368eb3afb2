package io.peerflow.sync;

import io.peerflow.fetch.PeerStats;
import io.peerflow.peers.PeerConnection;
import io.peerflow.store.Part;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges the per-kind statistics of a sync's schedulers into one {@link PeerReport} per peer, with
 * the drops the sync itself decided. Stateless.
 */
final class PeerReports {

  private PeerReports() {}

  static List<PeerReport> build(
      Map<Part, List<PeerStats>> stats,
      Map<String, String> drops,
      Map<String, String> lefts,
      List<PeerConnection> connected) {
    Map<String, Map<Part, Long>> items = new LinkedHashMap<>();
    Map<String, Map<Part, Double>> rates = new LinkedHashMap<>();
    Map<String, long[]> counts = new LinkedHashMap<>();
    Map<String, String> dropped = new LinkedHashMap<>();
    stats.forEach(
        (p, list) -> {
          for (PeerStats s : list) {
            items.computeIfAbsent(s.id(), k -> new LinkedHashMap<>()).put(p, s.itemsAccepted());
            rates.computeIfAbsent(s.id(), k -> new LinkedHashMap<>()).put(p, s.rateEstimate());
            long[] c = counts.computeIfAbsent(s.id(), k -> new long[2]);
            c[0] += s.requests();
            c[1] += s.timeouts();
            s.dropped().ifPresent(r -> dropped.putIfAbsent(s.id(), r.text()));
          }
        });
    Set<String> present = new HashSet<>();
    for (PeerConnection c : connected) {
      items.computeIfAbsent(c.id(), k -> new LinkedHashMap<>());
      present.add(c.id());
    }
    lefts.keySet().forEach(id -> items.computeIfAbsent(id, k -> new LinkedHashMap<>()));
    drops.forEach(
        (id, why) -> {
          items.computeIfAbsent(id, k -> new LinkedHashMap<>());
          dropped.put(id, why);
        });
    List<PeerReport> out = new ArrayList<>();
    items.forEach(
        (id, m) -> {
          long[] c = counts.getOrDefault(id, new long[2]);
          String drop = dropped.get(id);
          // A peer that came back is connected now; one the sync dropped keeps the drop's reason.
          String left = drop != null || present.contains(id) ? null : lefts.get(id);
          out.add(new PeerReport(id, m, c[0], c[1], drop, left, rates.getOrDefault(id, Map.of())));
        });
    return out;
  }
}
