package io.peerflow.sync;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.block.BlockReceipts;
import io.peerflow.chain.response.ReceiptsResponse;
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

/** A block's receipts: checked against their header's receipts root and logs bloom. Stateless. */
final class ReceiptsPart implements BlockPart<BlockReceipts> {

  @Override
  public Part part() {
    return Part.RECEIPTS;
  }

  @Override
  public MessageKind kind() {
    return MessageKind.RECEIPTS;
  }

  @Override
  public boolean stored(ChainStore store, long number) {
    return store.hasReceipts(number);
  }

  @Override
  public boolean empty(BlockHeader h) {
    return h.receiptsRoot().equals(TrieRoot.EMPTY);
  }

  @Override
  public void putEmpty(WriteBatch batch, BlockHeader h) {
    batch.putReceipts(h.number(), h.hash(), new BlockReceipts(List.of()).rlp());
  }

  @Override
  public CompletableFuture<? extends Response> request(RemotePeer peer, List<Hash> hashes) {
    return peer.requestReceipts(hashes);
  }

  @Override
  public Optional<List<BlockReceipts>> items(Response response) {
    return response instanceof ReceiptsResponse r ? Optional.of(r.receipts()) : Optional.empty();
  }

  @Override
  public Optional<String> mismatch(BlockReceipts item, BlockHeader h) {
    return item.mismatch(h);
  }

  @Override
  public void put(WriteBatch batch, BlockHeader h, BlockReceipts item) {
    batch.putReceipts(h.number(), h.hash(), item.rlp());
  }
}
