package io.peerflow.simulator;

import io.peerflow.peers.MessageKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The built-in scenarios, as data. Each is sized so that an ideal schedule takes about a minute of
 * simulated time, long enough for estimates to settle and short enough that start-up and the last
 * items still matter, as they do in a real sync of one batch.
 *
 * <p>The reference link: 2 MB/s, 40 ms one way (10% jitter), 2 ms of lookup per item. With bodies
 * averaging about 33 KB, such a peer serves about 54 bodies a second when kept busy. Immutable and
 * thread-safe.
 */
public final class Scenarios {

  private static final double MB = 1_000_000;

  private static final List<Scenario> ALL =
      List.of(
          new Scenario(
              "uniform",
              "16 identical well-connected peers",
              101,
              MessageKind.BODIES,
              50_000,
              List.of(reference("peer", 16, new Behaviour.Honest()))),
          new Scenario(
              "heterogeneous",
              "16 peers whose capacities span 100x (80 KB/s to 10 MB/s)",
              102,
              MessageKind.BODIES,
              60_000,
              List.of(
                  new PeerProfile(
                      "peer", 16, 0.08 * MB, 10 * MB, 60, 0.2, 0.3, new Behaviour.Honest()))),
          new Scenario(
              "stallers",
              "2 of 16 peers accept requests and never answer",
              103,
              MessageKind.BODIES,
              45_000,
              List.of(
                  reference("peer", 14, new Behaviour.Honest()),
                  reference("staller", 2, new Behaviour.Stalling(0)))),
          new Scenario(
              "churn",
              "8 of 16 peers keep disconnecting and coming back (receipts)",
              104,
              MessageKind.RECEIPTS,
              60_000,
              List.of(
                  reference("peer", 8, new Behaviour.Honest()),
                  reference("churner", 8, new Behaviour.Churn(15, 40, 5, 20)))),
          new Scenario(
              "slowdown",
              "4 of 16 peers become 8x slower a third of the way in",
              105,
              MessageKind.BODIES,
              50_000,
              List.of(
                  reference("peer", 12, new Behaviour.Honest()),
                  reference("slowing", 4, new Behaviour.Slowdown(0.3, 8)))),
          new Scenario(
              "satellite",
              "16 peers behind 3 s round trips",
              106,
              MessageKind.BODIES,
              50_000,
              List.of(
                  new PeerProfile(
                      "peer", 16, 2 * MB, 2 * MB, 1_500, 0.1, 2, new Behaviour.Honest()))),
          new Scenario(
              "lying",
              "2 of 16 peers answer with invalid data",
              107,
              MessageKind.BODIES,
              45_000,
              List.of(
                  reference("peer", 14, new Behaviour.Honest()),
                  reference("liar", 2, new Behaviour.Lying()))),
          new Scenario(
              "lacking",
              "2 peers lack a quarter of the items, 2 answer only in part",
              108,
              MessageKind.BODIES,
              50_000,
              List.of(
                  reference("peer", 12, new Behaviour.Honest()),
                  reference("lacker", 2, new Behaviour.Lacking(0.25)),
                  reference("partial", 2, new Behaviour.Partial(0.2, 0.6)))));

  private Scenarios() {}

  private static PeerProfile reference(String name, int count, Behaviour behaviour) {
    return new PeerProfile(name, count, 2 * MB, 2 * MB, 40, 0.1, 2, behaviour);
  }

  /** Every built-in scenario, in the order reports list them. */
  public static List<Scenario> all() {
    return ALL;
  }

  /** Names of the built-in scenarios. */
  public static List<String> names() {
    List<String> names = new ArrayList<>();
    for (Scenario s : ALL) {
      names.add(s.name());
    }
    return names;
  }

  /**
   * The scenario with this name (case-insensitive).
   *
   * @throws IllegalArgumentException naming the known scenarios if there is none
   */
  public static Scenario byName(String name) {
    for (Scenario s : ALL) {
      if (s.name().equals(name.toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown scenario '" + name + "' (known: " + String.join(", ", names()) + ")");
  }
}
