package io.peerflow.sync;

import io.peerflow.fetch.DropReason;
import io.peerflow.fetch.PeerDropper;
import io.peerflow.peers.PeerConnection;
import io.peerflow.peers.PeerSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of dropping a peer during a sync, whoever finds the reason (a scheduler, a header
 * segment that fails to link after its answer was taken in, a minority answer about the anchor):
 * removes that very connection from the set, remembers why for the report, and tells the embedder's
 * {@link PeerDropper} to disconnect it. Also remembers why peers left on their own.
 *
 * <p>Not thread-safe: confined to the sync's serial executor. Callers on other threads hop there
 * first.
 */
final class PeerDrops implements PeerDropper {

  private static final Logger LOG = LoggerFactory.getLogger(ChainSync.class);

  private final PeerSet peers;
  private final PeerDropper disconnect;
  private final Map<String, String> drops = new LinkedHashMap<>();
  private final Map<String, String> lefts = new LinkedHashMap<>();

  PeerDrops(PeerSet peers, PeerDropper disconnect) {
    this.peers = peers;
    this.disconnect = disconnect;
  }

  /**
   * Drops {@code peer}: unregisters that connection if it is still registered (a scheduler may have
   * done so already), records the first reason given for its id unless the peer has reconnected
   * under a new connection since (the verdict is about the old one, which is gone), and has it
   * disconnected.
   */
  @Override
  public void drop(PeerConnection peer, DropReason reason, String detail) {
    peers.unregister(peer);
    String why = detail == null || detail.isEmpty() ? reason.text() : reason.text() + ": " + detail;
    boolean reconnected = peers.peer(peer.id()).filter(c -> c != peer).isPresent();
    if (!reconnected) {
      drops.putIfAbsent(peer.id(), why);
    }
    LOG.info("Dropped peer {}: {}", shortId(peer.id()), why);
    try {
      disconnect.drop(peer, reason, detail);
    } catch (RuntimeException e) {
      LOG.warn("Peer dropper failed for {}", shortId(peer.id()), e);
    }
  }

  /** Records why a peer's connection ended without the sync dropping it. */
  void left(String id, String why) {
    lefts.put(id, why);
  }

  /** Peer id to why it was dropped, in the order of the drops; a read-only view. */
  Map<String, String> drops() {
    return Collections.unmodifiableMap(drops);
  }

  /** Peer id to why its connection ended on its own; a read-only view. */
  Map<String, String> lefts() {
    return Collections.unmodifiableMap(lefts);
  }

  static String shortId(String id) {
    return id.length() > 16 ? id.substring(0, 16) : id;
  }
}
