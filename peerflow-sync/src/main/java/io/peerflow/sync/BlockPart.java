package io.peerflow.sync;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
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
 * What is particular to one part of a block fetched by hash behind the headers (bodies, receipts):
 * how it is asked for, read from an answer, checked against its header and stored. {@link
 * PartQueue} does the rest, the same for every part, as go-ethereum's concurrent fetcher has one
 * small typed adaptor per data type over one queue.
 *
 * <p>Stateless; safe from any thread.
 *
 * @param <T> the decoded item an answer carries, one per block
 */
interface BlockPart<T> {

  /** The store's part. */
  Part part();

  /** The message kind it is fetched with. */
  MessageKind kind();

  /** Whether block {@code number}'s part is already stored. */
  boolean stored(ChainStore store, long number);

  /** Whether {@code h} commits to an empty part, which is stored without asking anyone. */
  boolean empty(BlockHeader h);

  /** Adds the empty part of {@code h} to {@code batch}. */
  void putEmpty(WriteBatch batch, BlockHeader h);

  /** Asks {@code peer} for the parts of the blocks with these hashes. */
  CompletableFuture<? extends Response> request(RemotePeer peer, List<Hash> hashes);

  /** The items of an answer, or empty if it is not an answer for this part. */
  Optional<List<T>> items(Response response);

  /** Why {@code item} is not the part of {@code h}, if it is not. */
  Optional<String> mismatch(T item, BlockHeader h);

  /** Adds {@code item}, the part of {@code h}, to {@code batch}. */
  void put(WriteBatch batch, BlockHeader h, T item);
}
