package io.peerflow.simulator;

import io.peerflow.peers.MessageKind;
import java.util.List;

/**
 * A named simulation setup: what is fetched, how many items, and which peers serve them. Pure data;
 * {@link Scenarios} lists the built-in ones. Immutable.
 *
 * @param name the name {@code --scenario} selects it by
 * @param description one line on what it shows
 * @param seed default seed: with it, a run prints the same bytes every time
 * @param kind what is fetched (bodies, receipts or headers), which sets the item sizes
 * @param items default number of items
 * @param peers the peer groups, registered in this order at time zero
 */
public record Scenario(
    String name,
    String description,
    long seed,
    MessageKind kind,
    int items,
    List<PeerProfile> peers) {

  public Scenario {
    peers = List.copyOf(peers);
    if (items < 1 || peers.isEmpty()) {
      throw new IllegalArgumentException("a scenario needs items and peers: " + name);
    }
  }

  /** This scenario with another seed and item count. */
  public Scenario with(long seed, int items) {
    return new Scenario(name, description, seed, kind, items, peers);
  }

  /** Number of peers over all groups. */
  public int peerCount() {
    int n = 0;
    for (PeerProfile p : peers) {
      n += p.count();
    }
    return n;
  }
}
