package io.peerflow.sync;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockBody;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.response.BodiesResponse;
import io.peerflow.chain.trie.TrieRoot;
import io.peerflow.peers.MessageKind;
import io.peerflow.peers.RemotePeer;
import io.peerflow.peers.Response;
import io.peerflow.store.ChainStore;
import io.peerflow.store.Part;
import io.peerflow.store.WriteBatch;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Block bodies: checked against their header's transactions root, ommers hash and withdrawals root.
 * Stateless.
 */
final class BodiesPart implements BlockPart<BlockBody> {

  @Override
  public Part part() {
    return Part.BODIES;
  }

  @Override
  public MessageKind kind() {
    return MessageKind.BODIES;
  }

  @Override
  public boolean stored(ChainStore store, long number) {
    return store.hasBody(number);
  }

  @Override
  public boolean empty(BlockHeader h) {
    return h.transactionsRoot().equals(TrieRoot.EMPTY)
        && h.ommersHash().equals(BlockHeader.EMPTY_OMMERS_HASH)
        && (h.withdrawalsRoot() == null || h.withdrawalsRoot().equals(TrieRoot.EMPTY));
  }

  @Override
  public void putEmpty(WriteBatch batch, BlockHeader h) {
    batch.putBody(h.number(), h.hash(), BlockBody.empty(h.withdrawalsRoot() != null).rlp());
  }

  @Override
  public CompletableFuture<? extends Response> request(RemotePeer peer, List<Hash> hashes) {
    return peer.requestBodies(hashes);
  }

  @Override
  public Optional<List<BlockBody>> items(Response response) {
    return response instanceof BodiesResponse r ? Optional.of(r.bodies()) : Optional.empty();
  }

  @Override
  public Optional<String> mismatch(BlockBody item, BlockHeader h) {
    return item.mismatch(h);
  }

  @Override
  public void put(WriteBatch batch, BlockHeader h, BlockBody item) {
    batch.putBody(h.number(), h.hash(), item.rlp());
  }
}
