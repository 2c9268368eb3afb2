package io.peerflow.eth;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockReceipts;
import io.peerflow.chain.source.ChainSource;
import io.peerflow.eth.wire.EthMessages;
import io.peerflow.eth.wire.PartialReceipts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * Answers from a {@link ChainSource} with go-ethereum's limits, composed on the calling thread and
 * returned complete. Thread-safe as its source is (sources must be).
 */
final class SourceServing implements Serving {

  /** go-ethereum's {@code maxHeadersServe}: more headers per answer is wasted effort for both. */
  static final int MAX_HEADERS_SERVE = 1024;

  /** go-ethereum's {@code maxBodiesServe} and {@code maxReceiptsServe}. */
  static final int MAX_BODIES_SERVE = 1024;

  /**
   * go-ethereum's {@code softResponseLimit}: an answer stops growing once it passes 2 MiB, which
   * keeps one reply from hogging the connection while staying far below the 16 MiB message cap.
   */
  static final int SOFT_RESPONSE_LIMIT = 2 * 1024 * 1024;

  private final ChainSource source;

  SourceServing(ChainSource source) {
    this.source = source;
  }

  @Override
  public CompletableFuture<Answer> headers(EthMessages.HeadersRequest q) {
    List<byte[]> out = new ArrayList<>();
    if (source != null) {
      long n;
      if (q.originHash() != null) {
        OptionalLong found = source.number(q.originHash());
        n = found.isPresent() ? found.getAsLong() : -1;
      } else {
        n = q.originNumber();
      }
      long amount = Math.min(q.amount(), MAX_HEADERS_SERVE);
      long bytes = 0;
      // A skip so large that the step overflows can only ever reach the origin.
      long step = q.skip() >= Long.MAX_VALUE - 1 ? Long.MAX_VALUE : q.skip() + 1;
      while (n >= 0 && out.size() < amount && bytes < SOFT_RESPONSE_LIMIT) {
        Optional<byte[]> h = source.header(n);
        if (h.isEmpty()) {
          break;
        }
        out.add(h.get());
        bytes += h.get().length;
        if (q.reverse()) {
          n = n >= step ? n - step : -1;
        } else {
          n = n > Long.MAX_VALUE - step ? -1 : n + step;
        }
      }
    }
    return answer(EthMessages.BLOCK_HEADERS, EthMessages.blockHeaders(q.id(), out), out.size());
  }

  @Override
  public CompletableFuture<Answer> bodies(EthMessages.HashesRequest q) {
    List<byte[]> out = collect(q, ChainSource::body);
    return answer(EthMessages.BLOCK_BODIES, EthMessages.blockBodies(q.id(), out), out.size());
  }

  @Override
  public CompletableFuture<Answer> receipts(int version, EthMessages.HashesRequest q) {
    // Stored in eth/69's form, which goes out as it is; eth/68 gets blooms back.
    List<byte[]> raw = collect(q, ChainSource::receipts);
    if (version >= 69) {
      return answer(EthMessages.RECEIPTS, EthMessages.blockBodies(q.id(), raw), raw.size());
    }
    List<BlockReceipts> out = new ArrayList<>(raw.size());
    for (byte[] r : raw) {
      out.add(BlockReceipts.decode(r));
    }
    return answer(EthMessages.RECEIPTS, EthMessages.receipts(version, q.id(), out), out.size());
  }

  @Override
  public CompletableFuture<Answer> receipts70(PartialReceipts.Request q) {
    ReceiptsServing70.Reply r = ReceiptsServing70.answer(source, q);
    return answer(EthMessages.RECEIPTS, r.payload(), r.lists());
  }

  private static CompletableFuture<Answer> answer(int code, byte[] payload, int items) {
    return CompletableFuture.completedFuture(new Answer(code, payload, items));
  }

  /**
   * The stored RLP of the requested blocks we have, skipping unknown hashes, until the answer
   * passes the soft size limit.
   */
  private List<byte[]> collect(
      EthMessages.HashesRequest q, BiFunction<ChainSource, Hash, Optional<byte[]>> lookup) {
    List<byte[]> out = new ArrayList<>();
    long bytes = 0;
    if (source != null) {
      for (Hash h : q.hashes()) {
        if (bytes >= SOFT_RESPONSE_LIMIT) {
          break;
        }
        Optional<byte[]> item = lookup.apply(source, h);
        if (item.isPresent()) {
          out.add(item.get());
          bytes += item.get().length;
        }
      }
    }
    return out;
  }
}
