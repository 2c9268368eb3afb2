package io.peerflow.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine-readable report: {@code {"results": [...]}} with one object per run (scenario,
 * policy, seed, items, efficiency, simulated and ideal seconds, failure, per-peer results), in a
 * fixed field order so that equal results give equal bytes.
 *
 * <p>Not thread-safe; write from one thread.
 */
public final class JsonReport implements Report {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path file;

  /** Writes to {@code file}, replacing it. */
  public JsonReport(Path file) {
    this.file = file;
  }

  @Override
  public void write(List<RunResult> results) throws IOException {
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode array = root.putArray("results");
    for (RunResult r : results) {
      ObjectNode o = array.addObject();
      o.put("scenario", r.scenario());
      o.put("policy", r.policy());
      o.put("seed", r.seed());
      o.put("items", r.items());
      o.put("kind", r.kind());
      o.put("efficiency", r.efficiency());
      o.put("simulatedSeconds", r.simulatedSeconds());
      number(o, "idealSeconds", r.idealSeconds());
      if (r.failure() == null) {
        o.putNull("failure");
      } else {
        o.put("failure", r.failure());
      }
      o.put("duplicates", r.duplicates());
      o.put("missing", r.missing());
      ArrayNode peers = o.putArray("peers");
      for (RunResult.PeerResult p : r.peers()) {
        ObjectNode n = peers.addObject();
        n.put("id", p.id());
        n.put("behaviour", p.behaviour());
        n.put("requests", p.requests());
        n.put("items", p.items());
        n.put("timeouts", p.timeouts());
        number(n, "estimate", p.estimate());
        number(n, "trueRate", p.trueRate());
        if (p.dropped() == null) {
          n.putNull("dropped");
        } else {
          n.put("dropped", p.dropped());
        }
      }
    }
    writeFile(root);
  }

  /** JSON has no infinities (an ideal time with no honest peer): those become null. */
  private static void number(ObjectNode o, String field, double value) {
    if (Double.isFinite(value)) {
      o.put(field, value);
    } else {
      o.putNull(field);
    }
  }

  private void writeFile(ObjectNode root) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, MAPPER.writeValueAsString(root) + "\n");
  }
}
