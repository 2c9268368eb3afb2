package io.peerflow.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peerflow.chain.Hash;
import io.peerflow.concurrent.Failures;
import io.peerflow.msgrate.Trackers;
import io.peerflow.peers.IdlePeers;
import io.peerflow.peers.MessageKind;
import io.peerflow.peers.PeerConnection;
import io.peerflow.peers.PeerException;
import io.peerflow.peers.PeerSet;
import io.peerflow.peers.Response;
import io.peerflow.peers.SilentPeer;
import io.peerflow.time.VirtualTime;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Replays one conformance trace (see {@code shared/conformance/README.md}) against a fresh {@link
 * PeerSet} on virtual time, line by line, and compares every result with the recorded one. Each
 * {@link #replay} call uses its own state, so one replayer may serve several threads.
 */
public final class TraceReplayer {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * Replays {@code file}, naming it {@code displayName} in the result. Lines that are not JSON, or
   * name an unknown op, count as failures; only an unreadable file is an exception.
   */
  public TraceResult replay(Path file, String displayName) throws IOException {
    Run run = new Run();
    int passed = 0;
    List<Mismatch> mismatches = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String text;
      int line = 0;
      while ((text = reader.readLine()) != null) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        Mismatch mismatch = check(run, text, displayName, line);
        if (mismatch == null) {
          passed++;
        } else {
          mismatches.add(mismatch);
        }
      }
    }
    return new TraceResult(displayName, passed, mismatches.size(), mismatches);
  }

  /** Applies one line; returns null if it matched, else what differed. */
  private static Mismatch check(Run run, String text, String file, int line) {
    JsonNode step;
    try {
      step = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return new Mismatch(
          file, line, "?", "a JSON object", "unreadable line: " + e.getOriginalMessage());
    }
    String op = step.path("op").asText("?");
    JsonNode expected = step.get("expect");
    JsonNode got;
    try {
      got = run.apply(op, step);
    } catch (RuntimeException e) {
      return new Mismatch(
          file,
          line,
          op,
          expected == null ? "no error" : expected.toString(),
          "error: " + describe(e));
    }
    if (expected == null) {
      return null; // the op returns nothing; applying it without error is all there is to check
    }
    if (op.equals("idle") && expected.isObject()) {
      expected = sortIds((ObjectNode) expected.deepCopy());
    }
    if (got == null || !JsonMatch.matches(expected, got)) {
      return new Mismatch(file, line, op, expected.toString(), String.valueOf(got));
    }
    return null;
  }

  /** Ties in capacity have no defined order, so ids are compared as a sorted set. */
  private static JsonNode sortIds(ObjectNode idle) {
    JsonNode ids = idle.get("ids");
    if (ids != null && ids.isArray()) {
      List<String> sorted = new ArrayList<>();
      ids.forEach(id -> sorted.add(id.asText()));
      sorted.sort(null);
      ArrayNode array = idle.putArray("ids");
      sorted.forEach(array::add);
    }
    return idle;
  }

  private static String describe(RuntimeException e) {
    return Failures.describe(e);
  }

  /** The state of one trace: a fresh peer set on a virtual clock. */
  private static final class Run {
    private final VirtualTime time = new VirtualTime();
    private final PeerSet peers = new PeerSet(time);
    private final Trackers trackers = peers.trackers();

    /** Applies {@code op}; returns its result as JSON, or null for ops that return nothing. */
    JsonNode apply(String op, JsonNode step) {
      switch (op) {
        case "register":
          return error(
              () -> peers.register(new SilentPeer(text(step, "id")), integer(step, "version")));
        case "unregister":
          return error(() -> peers.unregister(text(step, "id")));
        case "update":
          trackers.update(
              text(step, "id"), code(step), number(step, "elapsed"), number(step, "items"));
          return null;
        case "capacity":
          return NODES.numberNode(
              trackers.capacity(text(step, "id"), code(step), number(step, "rtt")));
        case "peerCapacity":
          return NODES.numberNode(peer(step).capacity(kind(step), number(step, "rtt")));
        case "peerRtt":
          return NODES.numberNode(peer(step).tracker().roundTrip());
        case "mean":
          ObjectNode mean = NODES.objectNode();
          for (Map.Entry<Long, Double> e : trackers.meanCapacities().entrySet()) {
            mean.put(Long.toString(e.getKey()), e.getValue());
          }
          return mean;
        case "median":
          return NODES.numberNode(trackers.medianRoundTrip());
        case "advance":
          time.advance(number(step, "ns"));
          return null;
        case "targetRtt":
          return NODES.numberNode(trackers.targetRoundTrip());
        case "targetTimeout":
          return NODES.numberNode(trackers.targetTimeout());
        case "fetch":
          return NODES.textNode(fetch(text(step, "id"), kind(step)));
        case "deliver":
          peer(step).setIdle(kind(step), integer(step, "items"), time.nanos());
          return null;
        case "idle":
          return idle(kind(step), integer(step, "minVersion"), integer(step, "maxVersion"));
        case "lack":
          peer(step).markLacking(Hash.fromHex(text(step, "hash")));
          return null;
        case "lacks":
          return NODES.booleanNode(peer(step).lacks(Hash.fromHex(text(step, "hash"))));
        default:
          throw new IllegalArgumentException("unknown op '" + op + "'");
      }
    }

    private String fetch(String id, MessageKind kind) {
      PeerConnection peer = peers.peer(id).orElse(null);
      if (peer == null) {
        return PeerException.Reason.NOT_REGISTERED.text();
      }
      try {
        // Any request of the kind will do: the trace settles it with a later "deliver".
        if (kind == MessageKind.HEADERS) {
          peer.fetchHeaders(0, 1);
        } else if (kind == MessageKind.BODIES) {
          peer.fetchBodies(List.of());
        } else if (kind == MessageKind.RECEIPTS) {
          peer.fetchReceipts(List.of());
        } else if (kind == MessageKind.NODE_DATA) {
          peer.fetchNodeData(List.of());
        } else {
          peer.fetch(kind, p -> new CompletableFuture<Response>());
        }
        return "ok";
      } catch (PeerException e) {
        return e.getMessage();
      }
    }

    private JsonNode idle(MessageKind kind, int minVersion, int maxVersion) {
      IdlePeers idle = peers.idlePeers(kind, minVersion, maxVersion);
      ObjectNode out = NODES.objectNode();
      ArrayNode capacities = out.putArray("capacities");
      for (int c : idle.capacities()) {
        capacities.add(c);
      }
      ArrayNode ids = out.putArray("ids");
      idle.peers().stream().map(PeerConnection::id).sorted().forEach(ids::add);
      out.put("total", idle.total());
      return out;
    }

    private PeerConnection peer(JsonNode step) {
      String id = text(step, "id");
      return peers
          .peer(id)
          .orElseThrow(() -> new IllegalArgumentException("peer " + id + " is not registered"));
    }

    private static JsonNode error(Runnable action) {
      ObjectNode out = NODES.objectNode();
      try {
        action.run();
        out.putNull("error");
      } catch (PeerException e) {
        out.put("error", e.getMessage());
      }
      return out;
    }
  }

  private static MessageKind kind(JsonNode step) {
    long code = code(step);
    return MessageKind.byCode(code)
        .orElseThrow(() -> new IllegalArgumentException("unknown message kind " + code));
  }

  private static long code(JsonNode step) {
    return number(step, "kind");
  }

  private static JsonNode field(JsonNode step, String name) {
    JsonNode value = step.get(name);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("missing field '" + name + "'");
    }
    return value;
  }

  private static String text(JsonNode step, String name) {
    JsonNode value = field(step, name);
    if (!value.isTextual()) {
      throw new IllegalArgumentException("field '" + name + "' is not a string");
    }
    return value.asText();
  }

  private static long number(JsonNode step, String name) {
    JsonNode value = field(step, name);
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new IllegalArgumentException("field '" + name + "' is not a 64-bit integer");
    }
    return value.longValue();
  }

  private static int integer(JsonNode step, String name) {
    JsonNode value = field(step, name);
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new IllegalArgumentException("field '" + name + "' is not a 32-bit integer");
    }
    return value.intValue();
  }
}
