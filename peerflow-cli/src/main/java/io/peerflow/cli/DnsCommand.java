package io.peerflow.cli;

import io.peerflow.discovery.dns.EnrTreeUrl;
import io.peerflow.discovery.dns.SignedTree;
import io.peerflow.discovery.enr.Enr;
import io.peerflow.discovery.v4.Node;
import io.peerflow.discovery.v4.UdpDiscovery;
import io.peerflow.rlpx.LoopbackGuard;
import io.peerflow.rlpx.NodeKey;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code peerflow dns}: publishing DNS node lists (EIP-1459). {@code dns sign} builds and signs a
 * tree and prints its URL and TXT records. One invocation per instance.
 */
@Command(
    name = "dns",
    mixinStandardHelpOptions = true,
    description = "DNS node lists (EIP-1459). See: peerflow dns sign --help")
public final class DnsCommand implements Runnable {

  /** How long a node named by enode URL has to send its record over discv4. */
  static final long RECORD_TIMEOUT_SECONDS = 10;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code peerflow dns sign}. */
  @Command(
      name = "sign",
      mixinStandardHelpOptions = true,
      description = {
        "Builds a DNS node list of the given nodes and signs it with the key in FILE (64 hex",
        "digits, a nodekey file). Prints the list's enrtree:// URL on the first line, then one TXT",
        "record per line as NAME TEXT, NAME fully qualified, the root first.",
        "A node given as enode:// is asked for its signed record over discv4 (it must run",
        "discovery); an enr: record is used as is."
      })
  int sign(
      @Option(names = "--key", required = true, paramLabel = "FILE", description = "Signing key.")
          Path keyFile,
      @Option(
              names = "--domain",
              required = true,
              paramLabel = "DOMAIN",
              description = "Where the list will be published.")
          String domain,
      @Option(
              names = "--seq",
              paramLabel = "N",
              description = "Sequence number (default: the current UNIX time, so it only grows).")
          Long seq,
      @Option(
              names = "--link",
              paramLabel = "URL",
              description = "An enrtree:// URL of another list to link to; repeatable.")
          List<String> links,
      @Parameters(arity = "1..*", paramLabel = "NODE", description = "enode:// or enr: URLs.")
          List<String> nodes)
      throws Exception {
    NodeKey key = NodeKey.load(keyFile);
    List<Enr> records = new ArrayList<>();
    List<String> byEnode = new ArrayList<>();
    for (String n : nodes) {
      if (n.strip().startsWith(Enr.PREFIX)) {
        records.add(Enr.parse(n.strip()));
      } else {
        Node.parse(n);
        byEnode.add(n);
      }
    }
    if (!byEnode.isEmpty()) {
      records.addAll(fetchRecords(byEnode));
    }
    List<EnrTreeUrl> linked = new ArrayList<>();
    if (links != null) {
      for (String l : links) {
        linked.add(EnrTreeUrl.parse(l));
      }
    }
    long sequence = seq != null ? seq : System.currentTimeMillis() / 1000;
    SignedTree tree = SignedTree.sign(key, domain, sequence, records, linked);
    PrintWriter out = spec.commandLine().getOut();
    out.println(tree.url());
    for (Map.Entry<String, String> e : tree.records().entrySet()) {
      out.println(e.getKey() + " " + e.getValue());
    }
    out.flush();
    return 0;
  }

  private static List<Enr> fetchRecords(List<String> enodes) throws Exception {
    List<Enr> out = new ArrayList<>();
    try (UdpDiscovery discovery =
        UdpDiscovery.start(
            NodeKey.generate(),
            new InetSocketAddress("0.0.0.0", 0),
            0,
            Optional.empty(),
            LoopbackGuard.ENVIRONMENT)) {
      for (String url : enodes) {
        try {
          out.add(
              discovery
                  .engine()
                  .requestEnr(Node.parse(url))
                  .get(RECORD_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException e) {
          throw new IllegalArgumentException(
              "could not get the node record of "
                  + url
                  + ": "
                  + Peerflow.describe(e)
                  + " (the node must run discovery; or give its enr: record)",
              e);
        }
      }
    }
    return out;
  }
}
