package io.peerflow.cli;

import io.peerflow.discovery.KnownNetworks;
import io.peerflow.discovery.dns.DnsTreeException;
import io.peerflow.discovery.dns.EnrTreeUrl;
import io.peerflow.discovery.dns.EnrTreeWalker;
import io.peerflow.discovery.dns.TxtResolver;
import io.peerflow.discovery.enr.Enr;
import io.peerflow.discovery.v4.Node;
import io.peerflow.discovery.v4.UdpDiscovery;
import io.peerflow.eth.forkid.ForkId;
import io.peerflow.eth.forkid.ForkSchedule;
import io.peerflow.rlpx.Enode;
import io.peerflow.rlpx.LoopbackGuard;
import io.peerflow.rlpx.NodeId;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Finds peers to dial for {@code sync --discover} and {@code --dns}: bootstraps discv4 from the
 * bootnodes and runs lookups, walks the DNS lists, reads each candidate's record, and keeps those
 * whose {@code eth} fork id fits our chain. Blocking; used from the command's thread only.
 */
final class PeerDiscovery {

  /** Lookups after the bootstrap; each meets up to 16 more nodes. */
  static final int LOOKUPS = 3;

  /** Seconds a bootstrap, a lookup, or the record requests of one round may take. */
  static final long STEP_TIMEOUT_SECONDS = 30;

  private final PrintWriter err;
  private final ForkSchedule schedule;
  private final Map<NodeId, Enode> found = new LinkedHashMap<>();

  PeerDiscovery(PrintWriter err, ForkSchedule schedule) {
    this.err = err;
    this.schedule = schedule;
  }

  /** The bootnodes: those given, else the network's built-in ones. */
  static List<Node> bootnodes(List<String> given, String network) {
    List<String> urls =
        given.isEmpty() && network != null ? KnownNetworks.bootnodes(network) : given;
    List<Node> out = new ArrayList<>();
    for (String u : urls) {
      out.add(Node.parse(u));
    }
    return out;
  }

  /** Starts discv4 for a node that does not listen on TCP (a syncing node). */
  static UdpDiscovery start(String listen, Optional<ForkId> forkId, int tcpPort) throws Exception {
    return UdpDiscovery.start(
        io.peerflow.rlpx.NodeKey.generate(new SecureRandom()),
        Networks.address(listen),
        tcpPort,
        forkId,
        LoopbackGuard.ENVIRONMENT);
  }

  /** Bootstraps from {@code bootnodes}, runs lookups, and takes in every node met. */
  void discover(UdpDiscovery discovery, List<Node> bootnodes) throws Exception {
    List<Node> met =
        new ArrayList<>(
            discovery.engine().bootstrap(bootnodes).get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS));
    for (int i = 0; i < LOOKUPS; i++) {
      met.addAll(discovery.engine().lookupRandom().get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }
    met.addAll(discovery.engine().nodes().get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS));
    Map<NodeId, CompletableFuture<Enr>> records = new LinkedHashMap<>();
    for (Node n : met) {
      if (!found.containsKey(n.id()) && !records.containsKey(n.id())) {
        records.put(n.id(), discovery.engine().requestEnr(n));
      }
    }
    for (Map.Entry<NodeId, CompletableFuture<Enr>> e : records.entrySet()) {
      try {
        consider(e.getValue().get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS));
      } catch (Exception noRecord) {
        // A node that does not send its record is not one we can check; it is not dialled.
      }
    }
  }

  /** Walks the DNS lists, taking in every record. */
  void walk(List<String> urls, String dnsServer) throws Exception {
    if (urls.isEmpty()) {
      return;
    }
    List<EnrTreeUrl> trees = new ArrayList<>();
    for (String u : urls) {
      trees.add(EnrTreeUrl.parse(u));
    }
    TxtResolver resolver =
        dnsServer == null
            ? TxtResolver.system(LoopbackGuard.ENVIRONMENT)
            : TxtResolver.server(Networks.address(dnsServer), LoopbackGuard.ENVIRONMENT);
    EnrTreeWalker walker = new EnrTreeWalker(trees, resolver, new SecureRandom());
    while (true) {
      Optional<Enr> next;
      try {
        next = walker.next();
      } catch (DnsTreeException e) {
        err.println("peerflow: DNS node list refused: " + e.getMessage());
        continue;
      }
      if (next.isEmpty()) {
        return;
      }
      consider(next.get());
    }
  }

  private void consider(Enr record) {
    try {
      Optional<ForkId> forkId = record.ethForkId();
      if (forkId.isPresent()) {
        Optional<String> problem = schedule.validate(forkId.get(), 0, 0);
        if (problem.isPresent()) {
          err.printf(
              Locale.ROOT,
              "peerflow: not dialling %s: another network (%s)%n",
              record.nodeId().shortHex(),
              problem.get());
          return;
        }
      }
      if (record.tcp().isEmpty()) {
        return;
      }
      found.putIfAbsent(record.nodeId(), record.toEnode());
    } catch (IllegalArgumentException e) {
      err.println(
          "peerflow: unusable node record " + record.nodeId().shortHex() + ": " + e.getMessage());
    }
  }

  /** Up to {@code max} of the peers found, in the order found. */
  List<Enode> enodes(int max) {
    return found.values().stream().limit(max).toList();
  }

  /** Number of peers found. */
  int size() {
    return found.size();
  }
}
