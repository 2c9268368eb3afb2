package io.peerflow.eth;

import io.peerflow.chain.source.ChainSource;
import io.peerflow.eth.wire.EthMessages;
import io.peerflow.eth.wire.PartialReceipts;
import java.util.concurrent.CompletableFuture;

/**
 * How a serving node answers its peers' requests for chain data: GetBlockHeaders, GetBlockBodies
 * and GetReceipts in, the encoded answer out, complete when it may be sent. {@link #of} answers
 * from a {@link ChainSource}, which is what a node does unless told otherwise; a decorator such as
 * {@link ShapedServing} wraps one to change how answers go out without the node knowing.
 *
 * <p>Implementations are thread-safe: many connections' requests are answered concurrently.
 */
public interface Serving {

  /**
   * An encoded answer.
   *
   * @param code its eth message code
   * @param payload its RLP payload, request id included
   * @param items how many headers, bodies or receipt lists it carries
   */
  record Answer(int code, byte[] payload, int items) {}

  /** The answer to GetBlockHeaders. */
  CompletableFuture<Answer> headers(EthMessages.HeadersRequest request);

  /** The answer to GetBlockBodies. */
  CompletableFuture<Answer> bodies(EthMessages.HashesRequest request);

  /** The answer to GetReceipts on an eth/{@code version} connection (68 and 69 differ). */
  CompletableFuture<Answer> receipts(int version, EthMessages.HashesRequest request);

  /**
   * The answer to an eth/70 GetReceipts (EIP-7975): from the first block's receipt index on, with a
   * block whose receipts pass the message limit cut short for the peer to continue.
   */
  CompletableFuture<Answer> receipts70(PartialReceipts.Request request);

  /**
   * Answers from {@code source} as go-ethereum does (at most 1024 items, no more once an answer
   * passes 2 MiB, unknown hashes skipped), on the calling thread; a null source serves nothing.
   */
  static Serving of(ChainSource source) {
    return new SourceServing(source);
  }
}
