package io.peerflow.fetch;

/**
 * Why a peer was dropped: by a {@link FetchScheduler}, or by the engine above it for what it finds
 * out later or elsewhere (a header that fails to link, a different block at the anchor's height).
 * Immutable.
 */
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
  REQUEST_FAILED("request failed"),
  /**
   * The peer follows another chain than the one being fetched (it reports another block where most
   * peers agree): not a liar, but of no use to this download.
   */
  ANOTHER_CHAIN("on another chain");

  private final String text;

  DropReason(String text) {
    this.text = text;
  }

  /** Human-readable reason, for logs and reports. */
  public String text() {
    return text;
  }
}
