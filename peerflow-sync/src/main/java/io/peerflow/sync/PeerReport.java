package io.peerflow.sync;

import io.peerflow.store.Part;
import java.util.Map;

/**
 * What one peer did for a sync, summed over headers, bodies and receipts. Immutable.
 *
 * @param id the peer's id
 * @param items items accepted per part, in the order of {@link Part}
 * @param requests requests sent
 * @param timeouts requests that timed out
 * @param dropped why the peer was dropped, or {@code null} if it was not
 * @param left why the peer's connection ended on its own during the sync (in the transport's words,
 *     see {@link ChainSync#peerLeft}), or {@code null} if it did not or was dropped
 * @param itemsPerSecond per part, the scheduler's last estimate of the peer's rate
 */
public record PeerReport(
    String id,
    Map<Part, Long> items,
    long requests,
    long timeouts,
    String dropped,
    String left,
    Map<Part, Double> itemsPerSecond) {

  public PeerReport {
    items = SyncProgress.byPart(items);
    itemsPerSecond = SyncProgress.byPart(itemsPerSecond);
  }

  /** "ok", "dropped: why" or "left: why", for tables. */
  public String state() {
    return dropped != null ? "dropped: " + dropped : left != null ? "left: " + left : "ok";
  }

  /** Items accepted over all parts. */
  public long totalItems() {
    return items.values().stream().mapToLong(Long::longValue).sum();
  }
}
