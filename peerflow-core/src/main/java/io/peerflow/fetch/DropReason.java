package io.peerflow.fetch;

/** Why a {@link FetchScheduler} dropped a peer. Immutable. */
public enum DropReason {
  /**
   * A request for at most two items timed out: the peer cannot serve even the smallest request the
   * throughput estimates ever produce, so throttling it further is pointless.
   */
  TIMEOUT("timed out on a minimal request"),
  /** A timed-out request was still unanswered after the grace period: a protocol violation. */
  STALLING("stalling"),
  /** The queue found the peer's answer invalid. */
  INVALID_DELIVERY("invalid delivery"),
  /** The transport failed the request (disconnect, malformed answer). */
  REQUEST_FAILED("request failed");

  private final String text;

  DropReason(String text) {
    this.text = text;
  }

  /** Human-readable reason, for logs and reports. */
  public String text() {
    return text;
  }
}
