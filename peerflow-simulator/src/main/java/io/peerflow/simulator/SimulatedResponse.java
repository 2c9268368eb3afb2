package io.peerflow.simulator;

import io.peerflow.peers.Response;

/**
 * A simulated peer's answer: the items it served, in request order, each with a checksum of its
 * contents (which a lying peer gets wrong). Immutable once built (the arrays are never written
 * after construction and never handed out).
 */
final class SimulatedResponse implements Response {

  private final int[] items;
  private final long[] payloads;

  SimulatedResponse(int[] items, long[] payloads) {
    this.items = items;
    this.payloads = payloads;
  }

  @Override
  public int itemCount() {
    return items.length;
  }

  int item(int i) {
    return items[i];
  }

  long payload(int i) {
    return payloads[i];
  }
}
