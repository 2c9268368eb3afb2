package io.peerflow.cli.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peerflow.store.Part;
import io.peerflow.sync.PeerReport;
import io.peerflow.sync.SyncReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * Prints a finished sync's report for people and writes it as JSON for scripts. Stateless and
 * thread-safe.
 *
 * <p>Efficiency is shown when the peers' combined rate is known (the embedded default and the
 * benchmark shape their peers): the blocks per second achieved over the sum of what the peers could
 * serve, the share of the available bandwidth the downloader used.
 */
public final class SyncReportWriter {

  private SyncReportWriter() {}

  /** The human-readable report. */
  public static void print(
      PrintWriter out,
      SyncReport r,
      OptionalDouble idealBlocksPerSecond,
      Function<String, String> peerLabel) {
    out.printf(
        Locale.ROOT,
        "Synced blocks #%d..#%d (%,d blocks) in %.1f s: %,.0f blocks/s%n",
        r.from(),
        r.to(),
        r.blocks(),
        r.seconds(),
        r.blocksPerSecond());
    out.printf(Locale.ROOT, "Head #%d %s%n", r.to(), r.headHash().toHex());
    StringBuilder fetched = new StringBuilder("Fetched this run:");
    r.fetched()
        .forEach((k, v) -> fetched.append(String.format(Locale.ROOT, " %s %,d", name(k), v)));
    long already = r.blocks() - r.fetched().getOrDefault(Part.HEADERS, r.blocks());
    if (already > 0) {
      fetched.append(String.format(Locale.ROOT, " (%,d headers were already stored)", already));
    }
    out.println(fetched);
    if (idealBlocksPerSecond.isPresent()) {
      out.printf(
          Locale.ROOT,
          "Efficiency: %.3f of the peers' combined %,.0f blocks/s%n",
          efficiency(r, idealBlocksPerSecond.getAsDouble()),
          idealBlocksPerSecond.getAsDouble());
    }
    out.printf(
        Locale.ROOT,
        "%-30s %10s %10s %10s %9s %9s  %s%n",
        "peer",
        "headers",
        "bodies",
        "receipts",
        "requests",
        "timeouts",
        "state");
    for (PeerReport p : r.peers()) {
      out.printf(
          Locale.ROOT,
          "%-30s %10d %10d %10d %9d %9d  %s%n",
          clip(peerLabel.apply(p.id())),
          p.items().getOrDefault(Part.HEADERS, 0L),
          p.items().getOrDefault(Part.BODIES, 0L),
          p.items().getOrDefault(Part.RECEIPTS, 0L),
          p.requests(),
          p.timeouts(),
          p.state());
    }
    out.flush();
  }

  /** A part as reports and the JSON name it: "headers", "bodies", "receipts". */
  public static String name(Part part) {
    return part.name().toLowerCase(Locale.ROOT);
  }

  /** The most heap this JVM has used so far: the sum of its heap pools' peaks. */
  public static long peakHeapBytes() {
    long sum = 0;
    for (java.lang.management.MemoryPoolMXBean pool :
        java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == java.lang.management.MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  static double efficiency(SyncReport r, double ideal) {
    return ideal <= 0 ? 0 : Math.min(1.0, r.blocksPerSecond() / ideal);
  }

  /** The report as a JSON tree. */
  public static ObjectNode json(
      SyncReport r, OptionalDouble idealBlocksPerSecond, Function<String, String> clientOf) {
    ObjectMapper m = new ObjectMapper();
    ObjectNode o = m.createObjectNode();
    o.put("from", r.from());
    o.put("to", r.to());
    o.put("blocks", r.blocks());
    o.put("headHash", r.headHash().toHex());
    o.put("seconds", r.seconds());
    o.put("blocksPerSecond", r.blocksPerSecond());
    ObjectNode fetched = o.putObject("fetched");
    r.fetched().forEach((k, v) -> fetched.put(name(k), v));
    if (idealBlocksPerSecond.isPresent()) {
      o.put("idealBlocksPerSecond", idealBlocksPerSecond.getAsDouble());
      o.put("efficiency", efficiency(r, idealBlocksPerSecond.getAsDouble()));
    }
    o.put("peakHeapBytes", peakHeapBytes());
    ArrayNode peers = o.putArray("peers");
    for (PeerReport p : r.peers()) {
      ObjectNode po = peers.addObject();
      po.put("id", p.id());
      String client = clientOf.apply(p.id());
      if (client != null) {
        po.put("client", client);
      }
      po.put("items", p.totalItems());
      ObjectNode byPart = po.putObject("itemsByPart");
      p.items().forEach((k, v) -> byPart.put(name(k), v));
      po.put("requests", p.requests());
      po.put("timeouts", p.timeouts());
      if (p.dropped() == null) {
        po.putNull("dropped");
      } else {
        po.put("dropped", p.dropped());
      }
      if (p.left() != null) {
        po.put("left", p.left());
      }
      ObjectNode rates = po.putObject("itemsPerSecond");
      for (Map.Entry<Part, Double> e : p.itemsPerSecond().entrySet()) {
        rates.put(name(e.getKey()), e.getValue());
      }
    }
    return o;
  }

  /** Writes {@link #json} to {@code file}, replacing it atomically so a reader never sees half. */
  public static void write(Path file, ObjectNode json) throws IOException {
    ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Path abs = file.toAbsolutePath();
    Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
    Files.write(tmp, m.writeValueAsBytes(json));
    Files.move(
        tmp,
        abs,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static String clip(String s) {
    return s.length() <= 30 ? s : s.substring(0, 29) + "…";
  }
}
