package io.peerflow.sync;

import io.peerflow.chain.block.BlockHeader;
import io.peerflow.fetch.FetchScheduler;
import io.peerflow.store.ChainStore;
import io.peerflow.store.WriteBatch;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;

/**
 * Where the header queue's verified headers go: written to the store, then the new frontier handed
 * to the part queues behind it (bodies, receipts), whose schedulers are woken to fetch for it.
 *
 * <p>Called on the header scheduler's thread; the part queues and schedulers take the frontier from
 * any thread, and the two listeners are told for the sync, which hops them onto its own executor.
 */
final class PartsBehindHeaders implements HeaderQueue.HeaderSink {

  private final ChainStore store;
  private final List<PartQueue<?>> queues;
  private final List<FetchScheduler<?>> schedulers;
  private final IntConsumer onStored;
  private final LongConsumer onVerified;

  /**
   * @param onStored told how many fetched headers were just stored
   * @param onVerified told the lowest number now verified
   */
  PartsBehindHeaders(
      ChainStore store,
      List<PartQueue<?>> queues,
      List<FetchScheduler<?>> schedulers,
      IntConsumer onStored,
      LongConsumer onVerified) {
    this.store = store;
    this.queues = List.copyOf(queues);
    this.schedulers = List.copyOf(schedulers);
    this.onStored = onStored;
    this.onVerified = onVerified;
  }

  @Override
  public void store(List<BlockHeader> headers) {
    try (WriteBatch b = store.batch()) {
      for (BlockHeader h : headers) {
        b.putHeader(h.number(), h.hash(), h.rlp());
      }
      b.commit();
    }
    onStored.accept(headers.size());
  }

  @Override
  public void verifiedDownTo(long number) {
    queues.forEach(q -> q.headersVerifiedDownTo(number));
    schedulers.forEach(FetchScheduler::wake);
    onVerified.accept(number);
  }
}
