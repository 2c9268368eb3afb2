package io.peerflow.sync;

import io.peerflow.store.Part;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of a running sync, for progress bars and live tables. Immutable; its maps iterate in
 * the order of {@link Part}.
 *
 * @param total per part, the blocks of the range that part covers
 * @param done per part, how many of those are stored (including those found stored at start)
 * @param resumed per part, how many were already stored when the sync started
 * @param elapsedNanos time since the sync started
 * @param peers live per-peer figures
 */
public record SyncProgress(
    Map<Part, Long> total,
    Map<Part, Long> done,
    Map<Part, Long> resumed,
    long elapsedNanos,
    List<LivePeer> peers) {

  public SyncProgress {
    total = byPart(total);
    done = byPart(done);
    resumed = byPart(resumed);
    peers = List.copyOf(peers);
  }

  /**
   * One connected (or dropped) peer as the sync sees it now.
   *
   * @param id peer id
   * @param capacity per part, items the peer is estimated to serve in one target round trip
   * @param roundTripMillis the peer's estimated round trip
   * @param items items accepted so far
   * @param timeouts requests timed out so far
   * @param dropped why it was dropped, or {@code null}
   * @param left why its connection ended on its own, or {@code null}
   */
  public record LivePeer(
      String id,
      Map<Part, Integer> capacity,
      double roundTripMillis,
      long items,
      long timeouts,
      String dropped,
      String left) {

    public LivePeer {
      capacity = byPart(capacity);
    }

    /** Whether the peer is still working for the sync. */
    public boolean active() {
      return dropped == null && left == null;
    }

    /** "ok", "dropped: why" or "left: why", for tables. */
    public String state() {
      return dropped != null ? "dropped: " + dropped : left != null ? "left: " + left : "ok";
    }
  }

  /** Fraction of all work done, 0 to 1. */
  public double fraction() {
    long t = total.values().stream().mapToLong(Long::longValue).sum();
    long d = done.values().stream().mapToLong(Long::longValue).sum();
    return t == 0 ? 1 : Math.min(1, (double) d / t);
  }

  /** An unmodifiable copy that iterates in the order of {@link Part}. */
  static <V> Map<Part, V> byPart(Map<Part, V> m) {
    EnumMap<Part, V> copy = new EnumMap<>(Part.class);
    copy.putAll(m);
    return Collections.unmodifiableMap(copy);
  }
}
