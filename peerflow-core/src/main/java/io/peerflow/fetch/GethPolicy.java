package io.peerflow.fetch;

import io.peerflow.peers.IdlePeers;
import io.peerflow.peers.PeerConnection;
import java.util.ArrayList;
import java.util.List;

/**
 * go-ethereum's policy ({@code eth/downloader/fetchers_concurrent.go}), faithfully: one request per
 * peer at a time, idle peers served highest capacity first, each asked for as many items as its
 * tracker says it can deliver within the group's target round trip (capped per kind), and every
 * request given the group's target timeout. A request of more than two items that times out zeroes
 * the peer's capacity for the kind (the default {@link FetchPolicy#onTimeout}).
 *
 * <p>Its weakness, which the simulator shows: a peer sits idle for a whole round trip between two
 * requests, and requests are sized to a round trip the group tunes towards two seconds, so links
 * with long round trips (or fast peers capped by the per-kind maximum) spend much of their time
 * waiting. Not thread-safe; confined to its scheduler's thread (it keeps no state anyway).
 */
final class GethPolicy implements FetchPolicy {

  @Override
  public String name() {
    return "geth";
  }

  @Override
  public boolean singleFlight() {
    return true;
  }

  @Override
  public List<Offer> plan(FetchView view) {
    // Ranked by capacity at a one-second round trip, as go-ethereum sorts its idle peers. (It
    // ranks by the capped capacity; the peer set ranks by the uncapped one, which only orders
    // peers that go-ethereum would consider tied.)
    IdlePeers idle = view.idlePeers();
    List<Offer> offers = new ArrayList<>(idle.peers().size());
    for (PeerConnection p : idle.peers()) {
      offers.add(new Offer(p, p.capacity(view.kind(), view.trackers().targetRoundTrip())));
    }
    return offers;
  }

  @Override
  public long timeoutNanos(FetchView view, PeerConnection peer, int items) {
    return view.trackers().targetTimeout();
  }
}
