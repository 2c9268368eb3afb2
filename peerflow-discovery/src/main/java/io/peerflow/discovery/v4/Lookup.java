package io.peerflow.discovery.v4;

import io.peerflow.discovery.enr.IdentityV4;
import io.peerflow.rlpx.NodeId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One iterative Kademlia lookup (discv4.md "Recursive Lookup"): ask the closest nodes known, three
 * at a time, for nodes closer to the target, until the 16 closest seen have all been asked. Not
 * thread-safe: runs on its engine's executor.
 */
final class Lookup {

  private final Discv4 engine;
  private final byte[] target;
  private final byte[] targetHash;
  private final CompletableFuture<List<Node>> result;
  private final List<Node> closest = new ArrayList<>();
  private final Set<NodeId> seen = new HashSet<>();
  private final Set<NodeId> asked = new HashSet<>();
  private int inFlight;

  Lookup(Discv4 engine, byte[] target, CompletableFuture<List<Node>> result) {
    this.engine = engine;
    this.target = target;
    this.targetHash = IdentityV4.keccak(target);
    this.result = result;
  }

  void start() {
    for (Node n : engine.table().closest(targetHash, NodeTable.BUCKET_SIZE)) {
      offer(n);
    }
    advance();
  }

  private void offer(Node n) {
    if (n.id().equals(engine.selfId()) || !seen.add(n.id())) {
      return;
    }
    closest.add(n);
    closest.sort(NodeTable.byDistanceTo(targetHash));
    if (closest.size() > NodeTable.BUCKET_SIZE) {
      closest.remove(closest.size() - 1);
    }
  }

  private void advance() {
    if (result.isDone()) {
      return;
    }
    for (Node n : List.copyOf(closest)) {
      if (inFlight >= Discv4.ALPHA) {
        break;
      }
      if (asked.add(n.id())) {
        inFlight++;
        engine
            .ensureBond(n)
            .thenComposeAsync(x -> engine.findNode(n, target), engine.executor())
            .whenCompleteAsync((found, e) -> answered(n, found, e), engine.executor());
      }
    }
    if (inFlight == 0) {
      result.complete(List.copyOf(closest));
    }
  }

  private void answered(Node asked, List<Node> found, Throwable error) {
    inFlight--;
    if (error != null) {
      // Nodes that do not answer leave the candidates (discv4.md), and the rest go on.
      closest.remove(asked);
    } else {
      for (Node n : found) {
        engine.addFound(n);
        offer(n);
      }
    }
    advance();
  }
}
