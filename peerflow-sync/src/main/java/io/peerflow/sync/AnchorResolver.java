package io.peerflow.sync;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.response.HeadersResponse;
import io.peerflow.fetch.DropReason;
import io.peerflow.fetch.PeerDropper;
import io.peerflow.peers.PeerConnection;
import io.peerflow.peers.PeerSet;
import io.peerflow.time.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Finds the header the whole range is verified against: the one with a given hash, or else block
 * {@code to} as most peers report it. Peers that report another block at that height are on another
 * chain and get dropped ({@link DropReason#ANOTHER_CHAIN}).
 *
 * <p>Confined to the sync's serial executor: it is called there, and every answer and timeout hops
 * onto it before it is counted, so its tallies are plain fields. The returned futures complete
 * there.
 */
final class AnchorResolver {

  private final PeerSet peers;
  private final Timer timer;
  private final long timeoutNanos;
  private final Executor serial;
  private final PeerDropper dropper;

  AnchorResolver(
      PeerSet peers, Timer timer, Executor serial, long timeoutNanos, PeerDropper dropper) {
    this.peers = peers;
    this.timer = timer;
    this.serial = serial;
    this.timeoutNanos = timeoutNanos;
    this.dropper = dropper;
  }

  /**
   * The header with hash {@code hash} from the first peer that has it; its number must be {@code
   * to} if that is not negative.
   */
  CompletableFuture<BlockHeader> byHash(Hash hash, long to) {
    List<PeerConnection> all = peers.peers();
    if (all.isEmpty()) {
      return CompletableFuture.failedFuture(
          new SyncException("no peers to ask for the anchor " + hash.toHex()));
    }
    // The hash is the proof: the first peer that has the block settles it.
    CompletableFuture<BlockHeader> result = new CompletableFuture<>();
    int[] answered = {0};
    for (PeerConnection p : all) {
      ask(p, () -> p.peer().requestHeadersByHash(hash, 1, 0, false))
          .thenAccept(
              h -> {
                answered[0]++;
                if (h != null && h.hash().equals(hash)) {
                  if (to >= 0 && h.number() != to) {
                    result.completeExceptionally(
                        new SyncException(
                            "block " + hash.toHex() + " is #" + h.number() + ", not #" + to));
                  } else {
                    result.complete(h);
                  }
                } else if (answered[0] == all.size()) {
                  result.completeExceptionally(
                      new SyncException("no peer has block " + hash.toHex()));
                }
              });
    }
    return result;
  }

  /**
   * Block {@code to} as the most peers report it. Settles as soon as more than half of the peers
   * agree, so one peer that never answers cannot hold the start up; otherwise once every peer has
   * answered or timed out, by plurality.
   */
  CompletableFuture<BlockHeader> byNumber(long to) {
    List<PeerConnection> all = peers.peers();
    if (all.isEmpty()) {
      return CompletableFuture.failedFuture(new SyncException("no peers to ask for block #" + to));
    }
    CompletableFuture<BlockHeader> result = new CompletableFuture<>();
    Map<Hash, List<PeerConnection>> votes = new LinkedHashMap<>();
    Map<Hash, BlockHeader> headers = new HashMap<>();
    int[] answered = {0};
    for (PeerConnection p : all) {
      ask(p, () -> p.peer().requestHeadersByNumber(to, 1, 0, false))
          .thenAccept(
              h -> {
                answered[0]++;
                if (result.isDone()) {
                  // Settled by a majority already; a late answer naming another block is still a
                  // peer on another chain.
                  BlockHeader chosen = result.getNow(null);
                  if (h != null && chosen != null && !h.hash().equals(chosen.hash())) {
                    dropOffChain(p, to, h.hash(), chosen.hash());
                  }
                  return;
                }
                if (h != null && h.number() == to) {
                  votes.computeIfAbsent(h.hash(), k -> new ArrayList<>()).add(p);
                  headers.put(h.hash(), h);
                  if (votes.get(h.hash()).size() * 2 > all.size()) {
                    settle(result, to, votes, headers);
                    return;
                  }
                }
                if (answered[0] == all.size()) {
                  settle(result, to, votes, headers);
                }
              });
    }
    return result;
  }

  /** Picks the hash with most votes and drops the peers that voted otherwise. */
  private void settle(
      CompletableFuture<BlockHeader> result,
      long to,
      Map<Hash, List<PeerConnection>> votes,
      Map<Hash, BlockHeader> headers) {
    if (result.isDone()) {
      return;
    }
    if (votes.isEmpty()) {
      result.completeExceptionally(new SyncException("no peer has block #" + to));
      return;
    }
    List<Map.Entry<Hash, List<PeerConnection>>> ranked = new ArrayList<>(votes.entrySet());
    ranked.sort((a, b) -> b.getValue().size() - a.getValue().size());
    if (ranked.size() > 1 && ranked.get(0).getValue().size() == ranked.get(1).getValue().size()) {
      result.completeExceptionally(
          new SyncException(
              "peers disagree on block #"
                  + to
                  + ": "
                  + ranked.get(0).getKey().toHex()
                  + " vs "
                  + ranked.get(1).getKey().toHex()
                  + " ("
                  + ranked.get(0).getValue().size()
                  + " peers each); choose one with --to-hash"));
      return;
    }
    for (int i = 1; i < ranked.size(); i++) {
      for (PeerConnection p : ranked.get(i).getValue()) {
        dropOffChain(p, to, ranked.get(i).getKey(), ranked.get(0).getKey());
      }
    }
    result.complete(headers.get(ranked.get(0).getKey()));
  }

  private void dropOffChain(PeerConnection p, long to, Hash reported, Hash majority) {
    dropper.drop(
        p,
        DropReason.ANOTHER_CHAIN,
        "reports block #" + to + " as " + reported.toHex() + ", the majority " + majority.toHex());
  }

  /**
   * The single header a peer answers, or null if it has none, fails or is too slow; completes on
   * the serial executor.
   */
  private CompletableFuture<BlockHeader> ask(
      PeerConnection p, Supplier<CompletableFuture<?>> request) {
    CompletableFuture<BlockHeader> out = new CompletableFuture<>();
    Timer.Timeout t =
        timer.schedule(timeoutNanos, () -> out.completeExceptionally(new TimeoutException()));
    CompletableFuture<?> f;
    try {
      f = request.get();
    } catch (RuntimeException e) {
      t.cancel();
      return CompletableFuture.completedFuture(null);
    }
    f.whenComplete(
        (r, e) -> {
          t.cancel();
          if (e == null && r instanceof HeadersResponse hr && hr.headers().size() == 1) {
            out.complete(hr.headers().get(0));
          } else {
            out.complete(null);
          }
        });
    return out.handleAsync((h, e) -> e == null ? h : null, serial);
  }
}
