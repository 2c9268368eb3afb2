package io.peerflow.simulator;

/**
 * A group of simulated peers alike but for their bandwidth, which is spread evenly on a log scale
 * from {@code minBandwidth} to {@code maxBandwidth} (equal bounds: all the same). Immutable.
 *
 * @param name id prefix; peers are named {@code name-01}, {@code name-02}, ...
 * @param count how many peers
 * @param minBandwidth slowest link, bytes per second
 * @param maxBandwidth fastest link, bytes per second
 * @param latencyMillis one-way latency
 * @param jitter each message's latency varies uniformly by up to this share of it
 * @param itemCostMillis time the peer spends looking up each item it serves
 * @param behaviour what the peers do
 */
public record PeerProfile(
    String name,
    int count,
    double minBandwidth,
    double maxBandwidth,
    double latencyMillis,
    double jitter,
    double itemCostMillis,
    Behaviour behaviour) {

  public PeerProfile {
    if (count < 1
        || minBandwidth <= 0
        || maxBandwidth < minBandwidth
        || latencyMillis < 0
        || jitter < 0
        || jitter >= 1
        || itemCostMillis < 0) {
      throw new IllegalArgumentException("invalid peer profile " + name);
    }
  }

  /** Bandwidth of the {@code i}-th peer of the group (0-based). */
  double bandwidth(int i) {
    if (count == 1) {
      return minBandwidth;
    }
    return minBandwidth * Math.pow(maxBandwidth / minBandwidth, (double) i / (count - 1));
  }

  /** Id of the {@code i}-th peer of the group (0-based). */
  String id(int i) {
    return String.format(java.util.Locale.ROOT, "%s-%02d", name, i + 1);
  }
}
