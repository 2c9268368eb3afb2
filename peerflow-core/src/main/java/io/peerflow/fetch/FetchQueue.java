package io.peerflow.fetch;

import io.peerflow.peers.MessageKind;
import io.peerflow.peers.PeerConnection;
import io.peerflow.peers.RemotePeer;
import io.peerflow.peers.Response;
import java.util.concurrent.CompletableFuture;

/**
 * The work a {@link FetchScheduler} hands out: a pool of items of one {@link MessageKind} waiting
 * to be fetched, reserved in batches for peers, and settled when the peer answers or fails. This is
 * the one thing an embedder implements to fetch a new kind of data (the {@code sync} command
 * implements it once per kind over real chain data; the simulator over synthetic items).
 *
 * <p>Modelled on go-ethereum's {@code typedQueue}. The scheduler calls every method from its one
 * logical thread, never concurrently with itself; an embedder that adds items from other threads
 * (for example a header fetcher feeding the body queue) must make the queue safe for that, and then
 * call {@link FetchScheduler#wake()} so that the new items are handed out.
 *
 * <p>Lifecycle of a reservation: {@link #reserve} creates it; then exactly one of {@link #deliver}
 * or {@link #unreserve} settles it. After either, every item of the reservation is accounted for:
 * accepted, or back in the pool to be reserved again.
 *
 * @param <R> the queue's reservation type
 */
public interface FetchQueue<R extends Reservation> {

  /** The kind of items in this queue; sizes requests (its {@code maxFetch}) and keys estimates. */
  MessageKind kind();

  /**
   * Number of items waiting in the pool that could be reserved now. Items held back on purpose (for
   * example while a result cache is full) should not be counted: the scheduler takes a positive
   * count that no peer can reserve as "these peers lack the remaining items".
   */
  int pending();

  /**
   * Whether no item will be added any more. The run ends once the queue is closed, nothing is
   * pending and no request is in flight. A queue filled up front is closed from the start.
   */
  boolean closed();

  /**
   * Takes up to {@code max} pending items for a request to {@code peer}, lowest priority value
   * first, skipping items the peer is known to lack ({@link PeerConnection#lacks}) or does not
   * serve (for blocks, those below {@link RemotePeer#servedFrom()}, read afresh each call); skipped
   * items stay in the pool for others.
   *
   * @return the reservation, or {@code null} if nothing could be reserved for this peer
   */
  R reserve(PeerConnection peer, int max);

  /**
   * Puts every item of an unanswered reservation back into the pool (the request timed out, the
   * peer left, or sending failed).
   *
   * @return how many items went back, the "failures" go-ethereum's penalties are based on
   */
  int unreserve(R reservation);

  /**
   * Sends the request for a reservation and returns at once (see {@link RemotePeer}): for example
   * {@code peer.requestBodies(hashes)}. The scheduler routes this through the {@link
   * PeerConnection} when its policy uses the per-kind busy flag, or calls it directly when the
   * policy pipelines several requests; either way, do not call {@code PeerConnection.fetch*} here.
   * Throwing means nothing was sent.
   */
  CompletableFuture<? extends Response> request(RemotePeer peer, R reservation);

  /**
   * Takes in a peer's answer to a reservation: keeps the items that are valid, puts the rest back
   * into the pool, and marks items the peer showed it does not have as lacking ({@link
   * PeerConnection#markLacking}; go-ethereum marks all of them when the answer is empty). If the
   * answer is junk (items that do not match what was asked), return {@link Delivery#invalid} after
   * putting all of the reservation's items back: the scheduler then drops the peer.
   */
  Delivery deliver(PeerConnection peer, R reservation, Response response);
}
