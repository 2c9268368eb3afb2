package io.peerflow.sync;

import io.peerflow.chain.Hash;
import io.peerflow.store.Part;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a finished sync: the range, the anchor it was verified against, timings and what
 * every peer delivered. Immutable.
 *
 * @param from lowest block of the range
 * @param to highest block of the range (the anchor)
 * @param blocks blocks in the range, every one now stored with the requested parts
 * @param headHash hash of block {@code to}
 * @param seconds wall time of the run
 * @param fetched per part, items fetched from peers in this run (not found stored), in the order of
 *     {@link Part}
 * @param peers per-peer figures
 */
public record SyncReport(
    long from,
    long to,
    long blocks,
    Hash headHash,
    double seconds,
    Map<Part, Long> fetched,
    List<PeerReport> peers) {

  public SyncReport {
    fetched = SyncProgress.byPart(fetched);
    peers = List.copyOf(peers);
  }

  /** Blocks per second over the run. */
  public double blocksPerSecond() {
    return seconds <= 0 ? 0 : blocks / seconds;
  }
}
