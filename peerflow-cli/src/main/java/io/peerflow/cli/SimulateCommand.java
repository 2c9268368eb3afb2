package io.peerflow.cli;

import io.peerflow.fetch.FetchPolicy;
import io.peerflow.simulator.JsonReport;
import io.peerflow.simulator.PlotReport;
import io.peerflow.simulator.RunResult;
import io.peerflow.simulator.Scenario;
import io.peerflow.simulator.Scenarios;
import io.peerflow.simulator.Simulator;
import io.peerflow.simulator.TextReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code peerflow simulate}: runs the fetch scheduler in the deterministic network simulator, for
 * one or all scenarios and policies, and prints (and optionally writes as JSON and charts) how well
 * each policy used the peers. Exit code 0 when every run finished, 1 if a run failed, 2 on bad
 * flags.
 *
 * <p>One invocation per instance (picocli fills the fields); the runs themselves are spread over
 * the available cores by {@link Simulator}, and reported in a fixed order.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Simulates fetching from simulated peers in virtual time, with each policy.",
      "Prints for every scenario and policy the time to finish, the efficiency",
      "(ideal time / achieved time; 1.000 is the physical limit) and what each",
      "peer did, then the efficiencies, scenario by policy. The same scenario",
      "and seed print the same bytes.",
      "Scenarios: uniform, heterogeneous, stallers, churn, slowdown, satellite,",
      "lying, lacking. Policies: geth, fixed, pipelined.",
      "Exit code: 0 if every run finished, 1 if one failed, 2 on bad flags."
    })
public final class SimulateCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--scenario",
      paramLabel = "NAME",
      defaultValue = "all",
      description = "Scenario to run, or 'all' (default: ${DEFAULT-VALUE}).")
  String scenario;

  @Option(
      names = "--policy",
      paramLabel = "NAME",
      defaultValue = "all",
      description = "Policy to run, or 'all' (default: ${DEFAULT-VALUE}).")
  String policy;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Seed for every run (default: each scenario's own).")
  Long seed;

  @Option(
      names = "--items",
      paramLabel = "N",
      description = "Items to fetch in every run (default: each scenario's own).")
  Integer items;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
  Path json;

  @Option(names = "--plot", paramLabel = "DIR", description = "Also write PNG charts into DIR.")
  Path plot;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Scenario> scenarios;
    List<String> policies;
    try {
      scenarios = scenarios();
      policies = policies();
    } catch (IllegalArgumentException e) {
      err.println("peerflow: " + e.getMessage());
      return 2;
    }
    List<RunResult> results =
        Simulator.run(scenarios, policies, Runtime.getRuntime().availableProcessors());
    new TextReport(out, true).write(results);
    if (json != null) {
      new JsonReport(json).write(results);
    }
    if (plot != null) {
      PlotReport charts = new PlotReport(plot);
      charts.write(results);
      err.println("peerflow: wrote " + charts.written().size() + " charts to " + plot);
    }
    boolean failed = results.stream().anyMatch(r -> r.failure() != null);
    return failed ? 1 : 0;
  }

  private List<Scenario> scenarios() {
    if (items != null && items < 1) {
      throw new IllegalArgumentException("--items must be positive, got " + items);
    }
    List<Scenario> chosen =
        "all".equalsIgnoreCase(scenario) ? Scenarios.all() : List.of(Scenarios.byName(scenario));
    List<Scenario> out = new ArrayList<>(chosen.size());
    for (Scenario s : chosen) {
      out.add(s.with(seed != null ? seed : s.seed(), items != null ? items : s.items()));
    }
    return out;
  }

  private List<String> policies() {
    if ("all".equalsIgnoreCase(policy)) {
      return FetchPolicy.names();
    }
    return List.of(FetchPolicy.byName(policy).name());
  }
}
