package io.peerflow.eth;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockBody;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.chain.block.BlockReceipts;
import io.peerflow.chain.block.Log;
import io.peerflow.chain.block.Receipt;
import io.peerflow.chain.block.Transaction;
import io.peerflow.chain.response.ReceiptsResponse;
import io.peerflow.eth.wire.PartialReceipts;
import io.peerflow.rlp.RlpException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One eth/70 receipts request as its caller sees it: whole receipt lists only. When the peer cuts a
 * block's list short ({@code lastBlockIncomplete}), the received part is checked as EIP-7975 asks
 * (no more receipts than the block has transactions, each receipt's log data within what its
 * transaction's gas limit can pay for, all of it within what the block's gas limit can), and the
 * rest is asked for in a new request starting at the next receipt, until the block is whole; the
 * caller then checks the whole list against the header as always. Blocks after a cut one are left
 * for the caller to ask again, like any short answer.
 *
 * <p>The checks need the cut block's header and transactions, which a receipts request does not
 * carry: they are fetched from the same peer by hash and verified (the header must hash to the
 * requested hash, the body must match the header), so a peer can neither lie about them nor make us
 * hold more than the block could have logged. Each step runs when the previous answer arrives;
 * there is never more than one step in flight, so no state is shared between threads.
 */
final class ReceiptsRequest70 {

  /**
   * Gas a LOG pays per data byte (the EVM's {@code LOG_DATA} cost); a topic costs 375 gas, more
   * than this rate for its 32 bytes, so {@code gas / 8} bounds a receipt's data and topics bytes.
   */
  static final long LOG_DATA_GAS = 8;

  private final EthSession session;
  private final List<Hash> hashes;
  private final List<BlockReceipts> whole = new ArrayList<>();
  private List<Receipt> partial;
  private Hash contextHash;
  private BlockHeader contextHeader;
  private BlockBody contextBody;

  ReceiptsRequest70(EthSession session, List<Hash> hashes) {
    this.session = session;
    this.hashes = List.copyOf(hashes);
  }

  CompletableFuture<ReceiptsResponse> start() {
    return ask(0, hashes);
  }

  private CompletableFuture<ReceiptsResponse> ask(long firstIndex, List<Hash> which) {
    return session.requestReceipts70(firstIndex, which).thenCompose(this::onAnswer);
  }

  private CompletableFuture<ReceiptsResponse> onAnswer(PartialReceipts.Answer answer) {
    List<BlockReceipts> lists = new ArrayList<>(answer.lists());
    if (partial != null) {
      Hash cut = hashes.get(whole.size());
      if (lists.isEmpty() || lists.get(0).receipts().isEmpty()) {
        throw new EthException(
            "peer "
                + session.label()
                + " sent no more receipts of block "
                + cut.toHex()
                + " after cutting it short at "
                + partial.size());
      }
      List<Receipt> merged = new ArrayList<>(partial);
      merged.addAll(lists.get(0).receipts());
      lists.set(0, new BlockReceipts(merged));
      partial = null;
    }
    if (!answer.lastBlockIncomplete()) {
      whole.addAll(lists);
      return CompletableFuture.completedFuture(new ReceiptsResponse(whole));
    }
    int last = lists.size() - 1;
    whole.addAll(lists.subList(0, last));
    List<Receipt> received = lists.get(last).receipts();
    Hash hash = hashes.get(whole.size());
    return context(hash)
        .thenCompose(
            v -> {
              check(hash, received);
              EthSession.LOG.debug(
                  "{} cut the receipts of block #{} after {} of {}; asking for the rest",
                  session.label(),
                  contextHeader.number(),
                  received.size(),
                  contextBody.transactions().size());
              partial = received;
              return ask(received.size(), List.of(hash));
            });
  }

  /** The header and body of the block being continued, from the peer, verified. */
  private CompletableFuture<Void> context(Hash hash) {
    if (hash.equals(contextHash)) {
      return CompletableFuture.completedFuture(null);
    }
    return session
        .requestHeaders(hash, 0, 1, 0, false)
        .thenCompose(
            headers -> {
              if (headers.headers().size() != 1 || !headers.headers().get(0).hash().equals(hash)) {
                throw new EthException(
                    "peer "
                        + session.label()
                        + " cut the receipts of block "
                        + hash.toHex()
                        + " short but does not serve its header");
              }
              BlockHeader header = headers.headers().get(0);
              return session
                  .requestBodies(List.of(hash))
                  .thenAccept(
                      bodies -> {
                        if (bodies.bodies().size() != 1
                            || bodies.bodies().get(0).mismatch(header).isPresent()) {
                          throw new EthException(
                              "peer "
                                  + session.label()
                                  + " cut the receipts of block "
                                  + hash.toHex()
                                  + " short but does not serve its matching body");
                        }
                        contextHash = hash;
                        contextHeader = header;
                        contextBody = bodies.bodies().get(0);
                      });
            });
  }

  /** EIP-7975's checks of a cut list: {@code received} are the block's first receipts. */
  private void check(Hash hash, List<Receipt> received) {
    String block = "block #" + contextHeader.number() + " (" + hash.toHex() + ")";
    List<Transaction> txs = contextBody.transactions();
    if (received.size() >= txs.size()) {
      throw new EthException(
          "peer "
              + session.label()
              + " marked the receipts of "
              + block
              + " incomplete after "
              + received.size()
              + " of its "
              + txs.size()
              + " transactions");
    }
    long total = 0;
    for (int i = 0; i < received.size(); i++) {
      long bytes = logBytes(received.get(i));
      long gasLimit;
      try {
        gasLimit = txs.get(i).gasLimit();
      } catch (RlpException e) {
        throw new EthException(
            "cannot check receipt " + i + " of " + block + ": " + e.getMessage());
      }
      if (bytes > gasLimit / LOG_DATA_GAS) {
        throw new EthException(
            "peer "
                + session.label()
                + " sent receipt "
                + i
                + " of "
                + block
                + " with "
                + bytes
                + " bytes of logs, more than its transaction's gas limit "
                + gasLimit
                + " pays for");
      }
      total += bytes;
    }
    if (total > contextHeader.gasLimit() / LOG_DATA_GAS) {
      throw new EthException(
          "peer "
              + session.label()
              + " sent "
              + total
              + " bytes of logs for "
              + block
              + ", more than its gas limit "
              + contextHeader.gasLimit()
              + " pays for");
    }
  }

  /** The data and topic bytes of a receipt's logs: what LOG opcodes paid for by the byte. */
  static long logBytes(Receipt r) {
    long n = 0;
    for (Log l : r.logs()) {
      n += l.data().length + 32L * l.topics().size();
    }
    return n;
  }
}
