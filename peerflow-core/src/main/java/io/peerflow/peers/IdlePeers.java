package io.peerflow.peers;

import java.util.Arrays;
import java.util.List;

/**
 * The answer of {@link PeerSet#idlePeers}: the idle peers of one kind, highest capacity first, with
 * the capacity each was ranked by, and how many peers were eligible at all. Immutable.
 */
public final class IdlePeers {

  private final List<PeerConnection> peers;
  private final int[] capacities;
  private final int total;

  IdlePeers(PeerConnection[] peers, int[] capacities, int total) {
    this.peers = List.of(peers);
    this.capacities = capacities;
    this.total = total;
  }

  /** The idle peers, by capacity at a one-second round trip, highest first; ties in any order. */
  public List<PeerConnection> peers() {
    return peers;
  }

  /** The capacity {@code peers().get(i)} was ranked by (items per second, uncapped). */
  public int capacity(int i) {
    return capacities[i];
  }

  /** The capacities in the order of {@link #peers()}; a fresh copy. */
  public int[] capacities() {
    return capacities.clone();
  }

  /** Number of peers in the requested version range, idle or not. */
  public int total() {
    return total;
  }

  @Override
  public String toString() {
    return "IdlePeers{"
        + peers
        + ", capacities="
        + Arrays.toString(capacities)
        + ", total="
        + total
        + "}";
  }
}
