package io.peerflow.cli;

import io.peerflow.chain.Hash;
import io.peerflow.chain.config.ChainConfig;
import io.peerflow.cli.sync.LiveProgress;
import io.peerflow.cli.sync.SyncReportWriter;
import io.peerflow.eth.EthNode;
import io.peerflow.eth.EthNodeConfig;
import io.peerflow.eth.EthPeer;
import io.peerflow.eth.Shaping;
import io.peerflow.fetch.DropReason;
import io.peerflow.generate.ChainGenerator;
import io.peerflow.peers.PeerException;
import io.peerflow.peers.PeerSet;
import io.peerflow.rlpx.DisconnectReason;
import io.peerflow.rlpx.Enode;
import io.peerflow.rlpx.NodeKey;
import io.peerflow.rlpx.RlpxConfig;
import io.peerflow.store.ChainStore;
import io.peerflow.store.Part;
import io.peerflow.sync.ChainSync;
import io.peerflow.sync.SyncException;
import io.peerflow.sync.SyncReport;
import io.peerflow.time.SystemTimer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code peerflow sync}: downloads a range of blocks from the given peers, verifies and stores it,
 * showing progress and a per-peer report. Without {@code --peer} it runs the embedded default: a
 * generated chain served by local peers of different speeds. One invocation per instance.
 */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description = {
      "Downloads blocks FROM..TO from the given peers through the fetch scheduler (requests sized",
      "to each peer's measured capacity; stalling and lying peers dropped), verifies every header,",
      "body and receipt list against the chain ending at the anchor, and stores them in DIR.",
      "Run it again to resume: what is stored is not fetched again.",
      "Without --peer: starts local peers of different speeds serving a generated chain and syncs",
      "from them (a demonstration that needs nothing else).",
      "Exit code: 0 when every block is stored, 1 when the sync failed, 2 on bad input."
    })
public final class SyncCommand implements Callable<Integer> {

  /** The embedded default's chain: small enough to generate in seconds, big enough to watch. */
  static final long DEMO_BLOCKS = 6000;

  static final int DEMO_TXS = 40;

  /**
   * The embedded default's peers, items per second each: rates spanning 10x, and a slow one far
   * away (a satellite link), whose answers take 0.8 s on top. Together about 370 blocks/s of
   * headers, bodies and receipts: slow enough to watch for a quarter of a minute, on any machine.
   */
  static final List<Shaping> DEMO_PEERS =
      List.of(
          new Shaping(600, Duration.ZERO),
          new Shaping(300, Duration.ofMillis(20)),
          new Shaping(150, Duration.ofMillis(50)),
          new Shaping(60, Duration.ofMillis(800)));

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The default limits with at most {@code n} outbound peers; a bad count is a one-line error. */
  static RlpxConfig.Limits outboundLimit(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("--max-peers must be at least 1: " + n);
    }
    RlpxConfig.Limits d = RlpxConfig.Limits.DEFAULT;
    return new RlpxConfig.Limits(
        d.maxInboundPeers(), n, d.maxPeersPerIp(), d.maxPendingHandshakes());
  }

  @Option(
      names = "--peer",
      paramLabel = "ENODE",
      description = "A peer's enode:// URL; repeat for more.")
  List<String> peerUrls = new ArrayList<>();

  @Option(
      names = "--network",
      paramLabel = "NAME|FILE",
      description =
          "mainnet, sepolia, hoodi or a genesis JSON file (default: DIR/genesis.json if present, else mainnet).")
  String network;

  @Option(
      names = "--from",
      defaultValue = "1",
      paramLabel = "N",
      description = "Lowest block (default: ${DEFAULT-VALUE}).")
  long from;

  @Option(
      names = "--to",
      paramLabel = "M",
      description = "Highest block (default: the highest head most peers have).")
  Long to;

  @Option(
      names = "--to-hash",
      paramLabel = "HASH",
      description = "Anchor: verify the range against the block with this hash.")
  String toHash;

  @Option(
      names = "--datadir",
      paramLabel = "DIR",
      description =
          "Where to store (default: ./peerflow-data; the embedded default uses a temporary directory).")
  Path datadir;

  @Option(
      names = "--parts",
      defaultValue = "headers,bodies,receipts",
      split = ",",
      paramLabel = "PART",
      description = "What to fetch: headers, bodies, receipts (default: ${DEFAULT-VALUE}).")
  List<String> parts;

  @Option(
      names = "--policy",
      defaultValue = "pipelined",
      paramLabel = "NAME",
      description =
          "Fetch policy: pipelined (ours), geth (go-ethereum's), fixed (default: ${DEFAULT-VALUE}).")
  String policy;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON.")
  Path json;

  @Option(
      names = "--max-peers",
      defaultValue = "50",
      paramLabel = "N",
      description =
          "Peers dialled at most (outbound; a syncing node takes no inbound peers) (default: ${DEFAULT-VALUE}).")
  int maxPeers;

  @Option(names = "--quiet", description = "No live progress; only the final report.")
  boolean quiet;

  @Option(
      names = "--dial-timeout",
      defaultValue = "20",
      paramLabel = "S",
      description = "Seconds to reach each peer (default: ${DEFAULT-VALUE}).")
  long dialTimeout;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Set<Part> wanted = parseParts(parts);
    Hash anchor = toHash == null ? null : parseHash(toHash);
    if (from < 0 || (to != null && to < from)) {
      throw new IllegalArgumentException(
          "invalid range: --from " + from + (to == null ? "" : " --to " + to));
    }
    LocalNetwork demo = null;
    Path dir = datadir;
    boolean temporary = false;
    ChainConfig config;
    List<Enode> enodes = new ArrayList<>();
    for (String u : peerUrls) {
      enodes.add(Enode.parse(u));
    }
    try {
      if (enodes.isEmpty()) {
        Path chainDir = demoChain(out);
        config = ChainConfig.named(chainDir.resolve(LocalChains.GENESIS_FILE).toString());
        demo = LocalNetwork.start(chainDir, config, DEMO_PEERS);
        enodes.addAll(demo.enodes());
        if (dir == null) {
          dir = Files.createTempDirectory("peerflow-sync-");
          temporary = true;
        }
        out.printf(
            Locale.ROOT,
            "Embedded default: %d local peers serving a generated %,d-block chain (%s)%n",
            DEMO_PEERS.size(),
            DEMO_BLOCKS,
            DEMO_PEERS.stream().map(LocalNetwork::describe).toList());
        out.printf(Locale.ROOT, "Syncing into %s%s%n", dir, temporary ? " (temporary)" : "");
      } else {
        config = Networks.resolve(network, datadir);
        if (dir == null) {
          dir = Path.of("peerflow-data");
        }
      }
      OptionalDouble ideal =
          demo == null
              ? OptionalDouble.empty()
              : OptionalDouble.of(demo.itemsPerSecond() / wanted.size());
      return run(out, err, config, dir, enodes, wanted, anchor, ideal);
    } finally {
      if (demo != null) {
        demo.close();
      }
      if (temporary) {
        deleteTree(dir);
      }
    }
  }

  private int run(
      PrintWriter out,
      PrintWriter err,
      ChainConfig config,
      Path dir,
      List<Enode> enodes,
      Set<Part> wanted,
      Hash anchor,
      OptionalDouble ideal)
      throws Exception {
    try (ChainStore store = Datadir.openStore(dir, config);
        SystemTimer timer = new SystemTimer("peerflow-sync")) {
      Datadir.storeGenesis(store, config);
      EthNode node =
          EthNode.start(
              EthNodeConfig.builder(NodeKey.loadOrCreate(dir), config)
                  .limits(outboundLimit(maxPeers))
                  .build());
      Thread hook = new Thread(node::close, "peerflow-sync-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        PeerSet peers = new PeerSet(timer.clock());
        Map<String, EthPeer> byId = new ConcurrentHashMap<>();
        AtomicReference<ChainSync> running = new AtomicReference<>();
        node.onPeerLeft(
            p -> {
              try {
                peers.unregister(p.id());
              } catch (PeerException e) {
                // The scheduler dropped it first.
              }
              ChainSync s = running.get();
              if (s != null) {
                // The report then says why, e.g. "left: disconnected: breach of protocol (frame MAC
                // mismatch)".
                s.peerLeft(p.id(), p.closeFuture().getNow("disconnected"));
              }
            });
        List<EthPeer> connected = dialAll(node, enodes, err);
        if (connected.isEmpty()) {
          err.println("peerflow: no peer could be reached");
          return 1;
        }
        for (EthPeer p : connected) {
          byId.put(p.id(), p);
          peers.register(p, p.version());
        }
        ChainSync.Builder b =
            ChainSync.builder(peers, store, timer)
                .parts(wanted)
                .policy(policy)
                .dropper(
                    (conn, reason, detail) -> {
                      if (conn.peer() instanceof EthPeer p) {
                        p.disconnect(
                            reason == DropReason.INVALID_DELIVERY
                                ? DisconnectReason.PROTOCOL_ERROR
                                : DisconnectReason.USELESS_PEER);
                      }
                    });
        if (anchor != null) {
          b.anchor(from, anchor);
        } else {
          long top = to != null ? to : agreedHead(connected);
          if (top < from) {
            err.printf(
                Locale.ROOT, "peerflow: the peers' head #%d is below --from %d%n", top, from);
            return 1;
          }
          b.range(from, top);
        }
        ChainSync sync = b.build();
        running.set(sync);
        java.util.function.Function<String, String> label =
            id -> {
              EthPeer p = byId.get(id);
              String client = p == null ? "?" : p.clientId();
              int slash = client.indexOf('/', client.indexOf('/') + 1);
              return id.substring(0, 8) + " " + (slash > 0 ? client.substring(0, slash) : client);
            };
        LiveProgress progress =
            quiet ? null : LiveProgress.start(sync, out, System.console() != null, label);
        SyncReport report;
        try {
          report = sync.start().get();
        } catch (ExecutionException e) {
          Throwable c = e.getCause();
          if (progress != null) {
            progress.close();
          }
          err.println(
              "peerflow: sync failed: "
                  + (c instanceof SyncException ? c.getMessage() : String.valueOf(c))
                  + " (what was verified is kept in "
                  + dir
                  + "; the same command resumes)");
          return 1;
        }
        if (progress != null) {
          progress.close();
        }
        String genesisProblem = genesisLink(store, config, report.from());
        if (genesisProblem != null) {
          err.println("peerflow: " + genesisProblem);
          return 1;
        }
        out.println();
        SyncReportWriter.print(out, report, ideal, label);
        if (json != null) {
          SyncReportWriter.write(
              json,
              SyncReportWriter.json(
                  report, ideal, id -> byId.containsKey(id) ? byId.get(id).clientId() : null));
          out.println("Report written to " + json);
        }
        return 0;
      } finally {
        node.close();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // Shutting down already.
        }
      }
    }
  }

  /**
   * The range hangs from the anchor; this checks its other end. Block 0 must be the network's
   * genesis, and a range from block 1 must start at the genesis' child: peers that agree on a chain
   * that is not this network's (which Status alone cannot rule out) are caught here.
   */
  static String genesisLink(ChainStore store, ChainConfig config, long from) {
    if (from == 0) {
      Hash zero = store.canonicalHash(0).orElse(null);
      if (zero != null && !zero.equals(config.genesisHash())) {
        return "block 0 is "
            + zero.toHex()
            + ", not "
            + config.name()
            + "'s genesis "
            + config.genesisHash().toHex();
      }
    } else if (from == 1) {
      Hash parent =
          io.peerflow.chain.block.BlockHeader.decode(store.header(1).orElseThrow()).parentHash();
      if (!parent.equals(config.genesisHash())) {
        return "block 1's parent is "
            + parent.toHex()
            + ", not "
            + config.name()
            + "'s genesis "
            + config.genesisHash().toHex();
      }
    }
    return null;
  }

  private List<EthPeer> dialAll(EthNode node, List<Enode> enodes, PrintWriter err) {
    List<CompletableFuture<EthPeer>> dials = new ArrayList<>();
    for (Enode e : enodes) {
      dials.add(node.dial(e).orTimeout(dialTimeout, TimeUnit.SECONDS));
    }
    List<EthPeer> ok = new ArrayList<>();
    for (int i = 0; i < dials.size(); i++) {
      try {
        ok.add(dials.get(i).join());
      } catch (RuntimeException e) {
        Throwable c = e.getCause() == null ? e : e.getCause();
        String why =
            c instanceof java.util.concurrent.TimeoutException
                ? "no eth session within " + dialTimeout + " s"
                : c.getMessage();
        err.println(
            "peerflow: skipping peer "
                + enodes.get(i).host()
                + ":"
                + enodes.get(i).tcpPort()
                + ": "
                + why);
      }
    }
    return ok;
  }

  /**
   * The highest block at least half of the peers have: on eth/69 their announced heads, on eth/68
   * the number of the head block they name by hash.
   */
  static long agreedHead(List<EthPeer> peers) {
    // eth/68 peers name their head by hash only: ask them all at once for its number.
    List<CompletableFuture<Long>> asks = new ArrayList<>();
    for (EthPeer p : peers) {
      long n = p.headNumber();
      if (n >= 0) {
        asks.add(CompletableFuture.completedFuture(n));
      } else {
        asks.add(
            p.requestHeadersByHash(p.headHash(), 1, 0, false)
                .thenApply(r -> r.headers().isEmpty() ? -1L : r.headers().get(0).number())
                .completeOnTimeout(-1L, 15, TimeUnit.SECONDS)
                .exceptionally(e -> -1L));
      }
    }
    List<Long> heads = new ArrayList<>();
    for (CompletableFuture<Long> a : asks) {
      long n = a.join();
      if (n >= 0) {
        heads.add(n);
      }
    }
    if (heads.isEmpty()) {
      throw new SyncException("no peer told its head; pass --to or --to-hash");
    }
    heads.sort(java.util.Comparator.reverseOrder());
    return heads.get((heads.size() - 1) / 2);
  }

  private Path demoChain(PrintWriter out) throws IOException {
    Path cache =
        Path.of(
            System.getProperty("user.home"),
            ".cache",
            "peerflow",
            "demo-chain-" + DEMO_BLOCKS + "-" + DEMO_TXS);
    if (LocalChains.finished(cache).isEmpty()) {
      deleteTree(cache);
      out.printf(
          Locale.ROOT,
          "Generating the demonstration chain (%,d blocks, once per machine) in %s%n",
          DEMO_BLOCKS,
          cache);
      out.flush();
      LocalChains.generate(
          new ChainGenerator(new ChainGenerator.Params(DEMO_BLOCKS, DEMO_TXS, 1337000, 1)),
          cache,
          (d, t) -> {});
    }
    return cache;
  }

  static Set<Part> parseParts(List<String> names) {
    Set<Part> out = EnumSet.noneOf(Part.class);
    for (String n : names) {
      switch (n.trim().toLowerCase(Locale.ROOT)) {
        case "headers" -> out.add(Part.HEADERS);
        case "bodies" -> out.add(Part.BODIES);
        case "receipts" -> out.add(Part.RECEIPTS);
        default ->
            throw new IllegalArgumentException(
                "unknown part '" + n + "': expected headers, bodies, receipts");
      }
    }
    out.add(Part.HEADERS);
    return out;
  }

  static Hash parseHash(String s) {
    try {
      return Hash.fromHex(s);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--to-hash must be 32 bytes of hex: " + s);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (var w = Files.walk(dir)) {
      for (Path p : w.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
