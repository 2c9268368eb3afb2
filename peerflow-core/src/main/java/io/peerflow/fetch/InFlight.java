package io.peerflow.fetch;

import io.peerflow.time.Timer;

/**
 * One request sent by a scheduler: its reservation, when it left, and where it stands. Mutable;
 * confined to the scheduler's thread.
 */
final class InFlight<R extends Reservation> {

  final PeerState<R> peer;
  final R reservation;
  final int size;
  final long sentAt;

  /** Items of the peer's earlier requests still in flight when this one was sent. */
  final int itemsAhead;

  Timer.Timeout timeout;

  /** Wakes the scheduler when the grace period of a stale request runs out. */
  Timer.Timeout graceTimer;

  /** Timed out and not answered yet: its items are back in the pool, the peer still owes it. */
  boolean stale;

  /** Answered, or written off because the peer left: nothing more is to be done with it. */
  boolean settled;

  /** Cancels whichever timers are still armed. */
  void cancelTimers() {
    if (timeout != null) {
      timeout.cancel();
    }
    if (graceTimer != null) {
      graceTimer.cancel();
    }
  }

  InFlight(PeerState<R> peer, R reservation, long sentAt, int itemsAhead) {
    this.peer = peer;
    this.reservation = reservation;
    this.size = reservation.size();
    this.sentAt = sentAt;
    this.itemsAhead = itemsAhead;
  }
}
