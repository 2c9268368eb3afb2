package io.peerflow.cli;

import io.peerflow.chain.Hash;
import io.peerflow.chain.config.ChainConfig;
import io.peerflow.cli.metrics.MetricsServer;
import io.peerflow.cli.metrics.NodeMetrics;
import io.peerflow.cli.sync.LiveProgress;
import io.peerflow.cli.sync.SyncReportWriter;
import io.peerflow.concurrent.Failures;
import io.peerflow.discovery.pool.PeerPool;
import io.peerflow.eth.EthNode;
import io.peerflow.eth.EthNodeConfig;
import io.peerflow.eth.EthPeer;
import io.peerflow.eth.Shaping;
import io.peerflow.fetch.DropReason;
import io.peerflow.fetch.FetchPolicy;
import io.peerflow.fetch.PeerDropper;
import io.peerflow.generate.ChainGenerator;
import io.peerflow.peers.PeerSet;
import io.peerflow.rlpx.DisconnectReason;
import io.peerflow.rlpx.Enode;
import io.peerflow.rlpx.NodeId;
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
import java.net.InetSocketAddress;
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
          "mainnet, sepolia, hoodi or a genesis JSON file (default: DIR/genesis.json if present,"
              + " else mainnet).")
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
          "Where to store (default: ./peerflow-data; the embedded default uses a temporary"
              + " directory).")
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
          "Fetch policy: pipelined (ours), geth (go-ethereum's), fixed (default:"
              + " ${DEFAULT-VALUE}).")
  String policy;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON.")
  Path json;

  @Option(names = "--quiet", description = "No live progress; only the final report.")
  boolean quiet;

  @Option(
      names = "--dial-timeout",
      defaultValue = "20",
      paramLabel = "S",
      description = "Seconds to reach each peer (default: ${DEFAULT-VALUE}).")
  long dialTimeout;

  @Option(
      names = "--era",
      paramLabel = "PATH",
      description =
          "Era1/ere files (a file or a directory) to take blocks from before asking peers: each is"
              + " verified whole and imported (as import --era does); peers are asked only for the"
              + " rest.")
  Path era;

  @Option(
      names = "--discover",
      description =
          "Find peers with discv4 from the bootnodes (--bootnode, else the --network's built-in"
              + " ones) and the network's DNS list.")
  boolean discover;

  @Option(
      names = "--bootnode",
      paramLabel = "URL",
      description = "A discovery bootnode, enode:// or enr:; repeat for more.")
  List<String> bootnodes = new ArrayList<>();

  @Option(
      names = "--dns",
      paramLabel = "URL",
      description = "An enrtree:// DNS node list to take peers from; repeat for more.")
  List<String> dnsLists = new ArrayList<>();

  @Option(
      names = "--dns-server",
      paramLabel = "HOST:PORT",
      description = "Resolve --dns lists through this server (default: the system's resolvers).")
  String dnsServer;

  @Option(
      names = "--max-peers",
      defaultValue = "25",
      paramLabel = "N",
      description =
          "Most peers to connect to, all outbound: a syncing node takes no inbound peers"
              + " (default: ${DEFAULT-VALUE}).")
  int maxPeers;

  @Option(
      names = "--discovery-listen",
      defaultValue = "0.0.0.0:0",
      paramLabel = "HOST:PORT",
      description = "UDP address for discovery (default: ${DEFAULT-VALUE}).")
  String discoveryListen;

  private PeerDiscovery finder;
  private io.peerflow.discovery.v4.UdpDiscovery discovery;
  private final List<Enode> reserve = new ArrayList<>();
  private volatile PeerPool<EthPeer> pool;
  private SystemTimer poolTimer;
  private final java.util.concurrent.atomic.AtomicBoolean refilling =
      new java.util.concurrent.atomic.AtomicBoolean();

  @Option(
      names = "--metrics",
      paramLabel = "HOST:PORT",
      description =
          "Serve Prometheus metrics at http://HOST:PORT/metrics while syncing (:PORT means"
              + " 127.0.0.1:PORT).")
  String metrics;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    InetSocketAddress metricsAddress = metrics == null ? null : MetricsServer.parseAddress(metrics);
    Set<Part> wanted = parseParts(parts);
    if (!FetchPolicy.names().contains(policy.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "unknown policy '"
              + policy
              + "' (known: "
              + String.join(", ", FetchPolicy.names())
              + ")");
    }
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
    if (maxPeers < 1) {
      throw new IllegalArgumentException("--max-peers must be at least 1");
    }
    boolean finding = discover || !dnsLists.isEmpty();
    try {
      if (enodes.isEmpty() && !finding) {
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
        if (finding) {
          enodes.addAll(findPeers(out, err, config, maxPeers - enodes.size()));
        }
      }
      OptionalDouble ideal =
          demo == null
              ? OptionalDouble.empty()
              : OptionalDouble.of(demo.itemsPerSecond() / wanted.size());
      return run(out, err, config, dir, enodes, wanted, anchor, ideal, metricsAddress);
    } finally {
      if (pool != null) {
        pool.close();
      }
      if (poolTimer != null) {
        poolTimer.close();
      }
      if (discovery != null) {
        discovery.close();
      }
      if (demo != null) {
        demo.close();
      }
      if (temporary) {
        deleteTree(dir);
      }
    }
  }

  /** Runs discovery and the DNS lists; the peers found, at most {@code wanted}. */
  private List<Enode> findPeers(PrintWriter out, PrintWriter err, ChainConfig config, int wanted)
      throws Exception {
    io.peerflow.eth.forkid.ForkSchedule schedule = io.peerflow.eth.forkid.ForkSchedule.of(config);
    PeerDiscovery finder = new PeerDiscovery(err, schedule);
    List<String> lists = new ArrayList<>(dnsLists);
    if (discover) {
      List<io.peerflow.discovery.v4.Node> boot = PeerDiscovery.bootnodes(bootnodes, network);
      if (boot.isEmpty()) {
        throw new IllegalArgumentException(
            "--discover needs --bootnode URL (no built-in bootnodes for this network)");
      }
      if (lists.isEmpty() && bootnodes.isEmpty() && network != null) {
        lists.addAll(io.peerflow.discovery.KnownNetworks.dnsTrees(network));
      }
      discovery = PeerDiscovery.start(discoveryListen, java.util.Optional.empty(), 0);
      finder.discover(discovery, boot);
    }
    finder.walk(lists, dnsServer);
    this.finder = finder;
    List<Enode> all = finder.enodes(Integer.MAX_VALUE);
    List<Enode> found = all.subList(0, Math.min(all.size(), Math.max(0, wanted)));
    reserve.addAll(all.subList(found.size(), all.size()));
    out.printf(
        Locale.ROOT,
        "Discovery: %d peers of this network found, dialling %d%n",
        finder.size(),
        found.size());
    return new ArrayList<>(found);
  }

  /**
   * Keeps the peer set filled for the rest of the sync: peers that leave are replaced from the
   * candidates not dialled yet, and from further lookups when those run out.
   */
  private PeerPool<EthPeer> startPool(
      EthNode node, PeerSet peers, Map<String, EthPeer> byId, List<EthPeer> connected) {
    PeerPool<EthPeer> pool =
        new PeerPool<>(
            maxPeers,
            e -> node.dial(e).orTimeout(dialTimeout, TimeUnit.SECONDS),
            (e, p) -> {
              byId.put(p.id(), p);
              // The running schedulers follow the peer set's join events.
              peers.register(p, p.version());
            },
            this::refill,
            poolTimer);
    for (EthPeer p : connected) {
      // Dialled peers' remote addresses are the addresses they were dialled at.
      pool.connected(
          new Enode(
              NodeId.fromHex(p.id()),
              p.remoteAddress().getAddress().getHostAddress(),
              p.remoteAddress().getPort()));
    }
    reserve.forEach(pool::offer);
    return pool;
  }

  /** More candidates from discv4, looked up on a thread of their own; one refill at a time. */
  private void refill() {
    PeerPool<EthPeer> pool = this.pool;
    if (discovery == null || pool == null || !refilling.compareAndSet(false, true)) {
      return;
    }
    Thread t =
        new Thread(
            () -> {
              try {
                finder.discover(discovery, List.of());
                finder.enodes(Integer.MAX_VALUE).forEach(pool::offer);
              } catch (Exception e) {
                // Lookups that fail now may succeed at the next refill.
              } finally {
                refilling.set(false);
              }
            },
            "peerflow-discovery-refill");
    t.setDaemon(true);
    t.start();
  }

  private int run(
      PrintWriter out,
      PrintWriter err,
      ChainConfig config,
      Path dir,
      List<Enode> enodes,
      Set<Part> wanted,
      Hash anchor,
      OptionalDouble ideal,
      InetSocketAddress metricsAddress)
      throws Exception {
    NodeMetrics meters = metricsAddress == null ? null : new NodeMetrics();
    try (ChainStore store = Datadir.openStore(dir, config);
        SystemTimer timer = new SystemTimer("peerflow-sync")) {
      Datadir.storeGenesis(store, config);
      if (era != null) {
        new io.peerflow.era.EraImport(store, Networks.eraName(config), config.genesisHash())
            .run(era, out::println);
      }
      EthNodeConfig.Builder nodeConfig =
          EthNodeConfig.builder(NodeKey.loadOrCreate(dir), config).limits(outboundLimit(maxPeers));
      // What is stored (era files just imported, an earlier run) is our head in Status; with
      // nothing stored, the network's genesis is.
      nodeConfig.source(new StoreSource(store, config));
      if (meters != null) {
        nodeConfig.rlpxObserver(meters).servingObserver(meters);
      }
      EthNode node = EthNode.start(nodeConfig.build());
      Thread hook = new Thread(node::close, "peerflow-sync-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      MetricsServer metricsServer = null;
      try {
        if (meters != null) {
          metricsServer = MetricsServer.start(metricsAddress, meters);
          out.println("Metrics at " + metricsServer.url());
        }
        PeerSet peers = new PeerSet(timer.clock());
        Map<String, EthPeer> byId = new ConcurrentHashMap<>();
        AtomicReference<ChainSync> running = new AtomicReference<>();
        node.onPeerLeft(
            p -> {
              PeerPool<EthPeer> current = pool;
              if (current != null) {
                current.left(NodeId.fromHex(p.id()));
              }
              // This very connection, if a scheduler has not dropped it first: a peer that has
              // dialled back in since stays.
              peers.peer(p.id()).filter(c -> c.peer() == p).ifPresent(peers::unregister);
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
        if (finder != null) {
          poolTimer = new SystemTimer("peerflow-pool");
          pool = startPool(node, peers, byId, connected);
        }
        PeerDropper dropper =
            (conn, reason, detail) -> {
              if (conn.peer() instanceof EthPeer p) {
                p.disconnect(
                    reason == DropReason.INVALID_DELIVERY
                        ? DisconnectReason.PROTOCOL_ERROR
                        : DisconnectReason.USELESS_PEER);
              }
            };
        expiredHistoryHint(connected, store).ifPresent(err::println);
        ChainSync.Builder b =
            ChainSync.builder(peers, store, timer)
                .parts(wanted)
                .policy(() -> FetchPolicy.byName(policy))
                .dropper(meters == null ? dropper : meters.countingDrops(dropper));
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
        if (meters != null) {
          meters.watch(sync);
        }
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
          if (progress != null) {
            progress.close();
          }
          err.println(
              "peerflow: sync failed: "
                  + Failures.describe(e)
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
        if (metricsServer != null) {
          metricsServer.close();
        }
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
        String why =
            Failures.unwrap(e) instanceof java.util.concurrent.TimeoutException
                ? "no eth session within " + dialTimeout + " s"
                : Failures.describe(e);
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

  /**
   * When every peer says (eth/69's earliest block) that it no longer serves blocks from {@code
   * --from} on, and the store lacks some of them, the line pointing the user to era files: since
   * history expiry, that is where pre-merge bodies and receipts are kept.
   */
  java.util.Optional<String> expiredHistoryHint(List<EthPeer> connected, ChainStore store) {
    long earliest = Long.MAX_VALUE;
    for (EthPeer p : connected) {
      if (p.version() < 69) {
        return java.util.Optional.empty();
      }
      earliest = Math.min(earliest, p.status().earliest());
    }
    if (earliest <= from || store.countMissing(Part.BODIES, from, earliest - 1) == 0) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        String.format(
            Locale.ROOT,
            "peerflow: the peers serve blocks from #%d on; blocks #%d..#%d are history they no"
                + " longer keep: take them from era files (sync --era DIR, or import --era)",
            earliest,
            from,
            earliest - 1));
  }
}
