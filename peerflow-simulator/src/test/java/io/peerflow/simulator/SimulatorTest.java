package io.peerflow.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.fetch.FetchPolicy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every built-in scenario with every policy, at default sizes: the numbers the README shows. */
class SimulatorTest {

  private static List<RunResult> results;

  @BeforeAll
  static void runEverything() {
    results = Simulator.run(Scenarios.all(), FetchPolicy.names(), 2);
  }

  private static String text(List<RunResult> runs) {
    StringWriter s = new StringWriter();
    new TextReport(new PrintWriter(s), true).write(runs);
    return s.toString();
  }

  private static RunResult result(String scenario, String policy) {
    return results.stream()
        .filter(r -> r.scenario().equals(scenario) && r.policy().equals(policy))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theSameScenariosAndSeedsPrintTheSameBytes() {
    List<RunResult> again = Simulator.run(Scenarios.all(), FetchPolicy.names(), 1);
    assertThat(text(again)).isEqualTo(text(results));
  }

  @Test
  void anotherSeedGivesAnotherRun() {
    Scenario uniform = Scenarios.byName("uniform");
    RunResult other = Simulator.run(uniform.with(uniform.seed() + 1, uniform.items()), "geth");
    assertThat(other.simulatedSeconds()).isNotEqualTo(result("uniform", "geth").simulatedSeconds());
  }

  @Test
  void everyItemIsFetchedExactlyOnceInEveryScenarioWithEveryPolicy() {
    assertThat(results).hasSize(Scenarios.all().size() * FetchPolicy.names().size());
    assertThat(results)
        .allSatisfy(
            r -> {
              assertThat(r.failure()).as(r.scenario() + "/" + r.policy()).isNull();
              assertThat(r.missing()).isZero();
              assertThat(r.duplicates()).isZero();
              assertThat(r.peers().stream().mapToLong(RunResult.PeerResult::items).sum())
                  .isEqualTo(r.items());
            });
  }

  @Test
  void noPolicyBeatsTheIdealTime() {
    assertThat(results).allSatisfy(r -> assertThat(r.efficiency()).isBetween(0.0, 1.0));
  }

  @Test
  void pipelinedBeatsGethAndFixedInEveryScenario() {
    for (Scenario s : Scenarios.all()) {
      double pipelined = result(s.name(), "pipelined").efficiency();
      assertThat(pipelined)
          .as(s.name())
          .isGreaterThan(result(s.name(), "geth").efficiency())
          .isGreaterThan(result(s.name(), "fixed").efficiency());
    }
  }

  @Test
  void stallersAndLiarsAreDroppedAndHonestPeersAreNot() {
    for (String policy : FetchPolicy.names()) {
      assertThat(result("stallers", policy).peers())
          .allSatisfy(
              p -> {
                if (p.behaviour().equals("stalling")) {
                  assertThat(p.items()).isZero();
                  assertThat(p.timeouts()).isPositive();
                } else {
                  assertThat(p.dropped()).isNull();
                }
              });
      assertThat(result("lying", policy).peers())
          .allSatisfy(
              p -> {
                if (p.behaviour().equals("lying")) {
                  assertThat(p.dropped()).isEqualTo("invalid delivery");
                } else {
                  assertThat(p.dropped()).isNull();
                }
              });
    }
  }

  @Test
  void stallersWhoseFirstRequestIsMinimalAreDroppedAtItsTimeout() {
    // geth's first request to an unmeasured peer asks for one item, pipelined's probe too; the
    // fixed policy's asks for 128, so its stallers are only throttled (and dropped after the
    // two-minute grace period, which this one-minute run does not reach).
    for (String policy : List.of("geth", "pipelined")) {
      assertThat(result("stallers", policy).peers())
          .filteredOn(p -> p.behaviour().equals("stalling"))
          .allSatisfy(p -> assertThat(p.dropped()).isEqualTo("timed out on a minimal request"));
    }
  }

  @Test
  void theSamplesFollowTheRunFromStartToEnd() {
    RunResult r = result("heterogeneous", "pipelined");
    assertThat(r.samples()).hasSizeGreaterThan(100);
    assertThat(r.samples().get(0).accepted()).isZero();
    List<RunResult.Sample> s = r.samples();
    for (int i = 1; i < s.size(); i++) {
      assertThat(s.get(i).accepted()).isGreaterThanOrEqualTo(s.get(i - 1).accepted());
    }
    assertThat(s.get(s.size() - 1).seconds()).isLessThanOrEqualTo(r.simulatedSeconds());
  }
}
