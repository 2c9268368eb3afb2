package io.peerflow.fetch;

import io.peerflow.peers.MessageKind;
import io.peerflow.peers.PeerConnection;
import io.peerflow.peers.RemotePeer;
import io.peerflow.peers.Response;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * How a scheduler's requests occupy a peer, chosen once from its policy ({@link
 * FetchPolicy#singleFlight()}): either through the peer layer's per-kind busy flag, one request at
 * a time as go-ethereum does, or counted by the scheduler alone, as many at once as the policy
 * plans.
 *
 * <p>Stateless; called on the scheduler's thread.
 */
interface FlightRule {

  /** The rule for {@code policy}'s requests of {@code kind}. */
  static FlightRule of(FetchPolicy policy, MessageKind kind) {
    return policy.singleFlight() ? new BusyFlag(kind) : new Counted();
  }

  /** Whether {@code c} (with the scheduler's books {@code s}) may be sent another request now. */
  boolean mayRequest(PeerConnection c, PeerState<?> s);

  /** Sends a request to {@code c}, occupying it as the rule says; throws if nothing was sent. */
  CompletableFuture<? extends Response> send(
      PeerConnection c, Function<RemotePeer, CompletableFuture<? extends Response>> request);

  /** Frees what {@link #send} occupied, {@code delivered} items having arrived at {@code at}. */
  void settle(PeerConnection c, int delivered, long at);

  /** Whether the peer layer holds {@code c} busy, whatever the scheduler's books say. */
  boolean heldBusy(PeerConnection c);

  /**
   * One request per peer and kind, through {@link PeerConnection#fetch} and {@link
   * PeerConnection#setIdle}, which also measures the round trip into the peer's tracker.
   */
  final class BusyFlag implements FlightRule {
    private final MessageKind kind;

    BusyFlag(MessageKind kind) {
      this.kind = kind;
    }

    @Override
    public boolean mayRequest(PeerConnection c, PeerState<?> s) {
      return c.isIdle(kind) && s.live.isEmpty() && s.stale.isEmpty();
    }

    @Override
    public CompletableFuture<? extends Response> send(
        PeerConnection c, Function<RemotePeer, CompletableFuture<? extends Response>> request) {
      return c.fetch(kind, request);
    }

    @Override
    public void settle(PeerConnection c, int delivered, long at) {
      c.setIdle(kind, delivered, at);
    }

    @Override
    public boolean heldBusy(PeerConnection c) {
      return !c.isIdle(kind);
    }
  }

  /**
   * As many requests as the policy plans, counted in the scheduler's books only; the peer layer's
   * busy flag is left alone and the policy does its own measuring.
   */
  final class Counted implements FlightRule {
    @Override
    public boolean mayRequest(PeerConnection c, PeerState<?> s) {
      return true;
    }

    @Override
    public CompletableFuture<? extends Response> send(
        PeerConnection c, Function<RemotePeer, CompletableFuture<? extends Response>> request) {
      return request.apply(c.peer());
    }

    @Override
    public void settle(PeerConnection c, int delivered, long at) {}

    @Override
    public boolean heldBusy(PeerConnection c) {
      return false;
    }
  }
}
