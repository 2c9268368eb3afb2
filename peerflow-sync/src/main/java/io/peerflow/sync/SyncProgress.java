package io.peerflow.sync;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of a running sync, for progress bars and live tables. Immutable.
 *
 * @param total per part name, the blocks of the range that part covers
 * @param done per part name, how many of those are stored (including those found stored at start)
 * @param resumed per part name, how many were already stored when the sync started
 * @param elapsedNanos time since the sync started
 * @param peers live per-peer figures
 */
public record SyncProgress(
    Map<String, Long> total,
    Map<String, Long> done,
    Map<String, Long> resumed,
    long elapsedNanos,
    List<LivePeer> peers) {

  /**
   * One connected (or dropped) peer as the sync sees it now.
   *
   * @param id peer id
   * @param capacity per part name, items the peer is estimated to serve in one target round trip
   * @param roundTripMillis the peer's estimated round trip
   * @param items items accepted so far
   * @param timeouts requests timed out so far
   * @param dropped why it was dropped, or {@code null}
   * @param left why its connection ended on its own, or {@code null}
   */
  public record LivePeer(
      String id,
      Map<String, Integer> capacity,
      double roundTripMillis,
      long items,
      long timeouts,
      String dropped,
      String left) {

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
}
