package io.peerflow.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.fetch.FetchPolicy;
import io.peerflow.peers.MessageKind;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Invariants of whole runs over random mixes of peers, behaviours, seeds and policies. */
class SimulationPropertiesTest {

  @Property(tries = 80)
  void everyItemIsAcceptedExactlyOnceOrTheRunFailsClearly(
      @ForAll("peers") @Size(min = 1, max = 8) List<PeerProfile> peers,
      @ForAll @LongRange(min = 1, max = 1_000_000) long seed,
      @ForAll @IntRange(min = 100, max = 1_500) int items,
      @ForAll("policies") String policy) {
    List<PeerProfile> named = new ArrayList<>();
    for (int i = 0; i < peers.size(); i++) {
      PeerProfile p = peers.get(i);
      named.add(
          new PeerProfile(
              "g" + i,
              p.count(),
              p.minBandwidth(),
              p.maxBandwidth(),
              p.latencyMillis(),
              p.jitter(),
              p.itemCostMillis(),
              p.behaviour()));
    }
    Scenario scenario =
        new Scenario("random", "random peers", seed, MessageKind.BODIES, items, named);

    RunResult r = Simulator.run(scenario, policy);

    assertThat(r.duplicates()).isZero();
    if (r.failure() == null) {
      assertThat(r.missing()).isZero();
      // The ideal rests on the mean item size; a schedule that happens to give the larger items
      // to the link whose per-item cost dominates can beat it, by a hair.
      assertThat(r.efficiency()).isBetween(0.0, 1.01);
    } else if (policy.equals("fixed") && r.failure().startsWith("did not finish")) {
      // The baseline's known flaw: a peer that cannot serve a full-size request within the
      // fixed timeout times out forever, and its late answers are discarded.
      assertThat(r.peers()).anySatisfy(p -> assertThat(p.timeouts()).isGreaterThan(100));
    } else {
      assertThat(r.failure()).matches("no peers left.*|peers unavailable.*");
    }
  }

  @Provide
  Arbitrary<String> policies() {
    return Arbitraries.of(FetchPolicy.names());
  }

  @Provide
  Arbitrary<List<PeerProfile>> peers() {
    Arbitrary<Behaviour> behaviours =
        Arbitraries.oneOf(
            Arbitraries.just(new Behaviour.Honest()),
            Arbitraries.just(new Behaviour.Honest()),
            Arbitraries.just(new Behaviour.Lying()),
            Arbitraries.doubles().between(0, 30).map(Behaviour.Stalling::new),
            Arbitraries.doubles().between(0.05, 0.6).map(Behaviour.Lacking::new),
            Arbitraries.doubles()
                .between(0.1, 0.9)
                .map(x -> new Behaviour.Partial(x, Math.min(1, x + 0.2))),
            Arbitraries.doubles().between(1, 20).map(x -> new Behaviour.Churn(x, 2 * x, 1, x)),
            Arbitraries.doubles().between(0, 1).map(x -> new Behaviour.Slowdown(x, 10)));
    Arbitrary<PeerProfile> profile =
        Combinators.combine(
                Arbitraries.integers().between(1, 3),
                Arbitraries.doubles().between(30_000, 5_000_000),
                Arbitraries.doubles().between(1, 1_000),
                Arbitraries.doubles().between(0, 0.5),
                Arbitraries.doubles().between(0, 20),
                behaviours)
            .as(
                (count, bandwidth, latency, jitter, cost, behaviour) ->
                    new PeerProfile(
                        "g", count, bandwidth, bandwidth * 3, latency, jitter, cost, behaviour));
    return profile.list();
  }
}
