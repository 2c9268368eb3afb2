package io.peerflow.fetch;

/**
 * A batch of items a {@link FetchQueue} has set aside for one request to one peer: what the
 * scheduler sends, times and settles as a unit. The queue decides what it holds (hashes, a header
 * range, ...); the scheduler only needs its size.
 *
 * <p>Implementations should be immutable once handed out: the scheduler may read {@link #size()} at
 * any point until the reservation is settled.
 */
public interface Reservation {

  /** Number of items reserved; at least 1. */
  int size();
}
