package io.peerflow.fetch;

/**
 * What a {@link FetchQueue} made of a peer's answer: either some number of items accepted (the rest
 * went back to the pool), or the answer was invalid and the peer must be dropped.
 *
 * <p>Immutable.
 */
public final class Delivery {

  private final int accepted;
  private final String invalidReason;

  private Delivery(int accepted, String invalidReason) {
    this.accepted = accepted;
    this.invalidReason = invalidReason;
  }

  /** A valid answer of which {@code items} (0 or more) were accepted. */
  public static Delivery accepted(int items) {
    if (items < 0) {
      throw new IllegalArgumentException("accepted items cannot be negative: " + items);
    }
    return new Delivery(items, null);
  }

  /**
   * An invalid answer (data that does not match what was asked): the scheduler drops the peer.
   *
   * @param reason why, for logs and the drop callback
   */
  public static Delivery invalid(String reason) {
    return new Delivery(0, reason == null || reason.isBlank() ? "invalid delivery" : reason);
  }

  /** Whether the answer was valid. */
  public boolean valid() {
    return invalidReason == null;
  }

  /** Items accepted; 0 for an invalid answer. */
  public int accepted() {
    return accepted;
  }

  /** Why the answer was invalid, or {@code null} if it was valid. */
  public String invalidReason() {
    return invalidReason;
  }

  @Override
  public String toString() {
    return valid()
        ? "Delivery{accepted=" + accepted + "}"
        : "Delivery{invalid: " + invalidReason + "}";
  }
}
