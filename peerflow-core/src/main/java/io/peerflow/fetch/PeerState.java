package io.peerflow.fetch;

import io.peerflow.peers.PeerConnection;
import java.util.ArrayList;
import java.util.List;

/**
 * A scheduler's bookkeeping for one connected peer: its requests in flight (in the order sent), its
 * stale requests, and when it last answered. Mutable; confined to the scheduler's thread. A peer
 * that leaves and rejoins gets a fresh state (its connection is a new object).
 */
final class PeerState<R extends Reservation> {

  final PeerConnection connection;
  final List<InFlight<R>> live = new ArrayList<>();
  final List<InFlight<R>> stale = new ArrayList<>();
  int liveItems;
  long lastArrival = Long.MIN_VALUE;
  long idleSince;

  PeerState(PeerConnection connection, long now) {
    this.connection = connection;
    this.idleSince = now;
  }

  String id() {
    return connection.id();
  }
}
