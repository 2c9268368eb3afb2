package io.peerflow.chain.source;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Several chain sources served as one: each item is taken from the first source that has it, the
 * head is the highest of their heads and the earliest block the lowest of their earliest. A store
 * in front of a folder of history archives is the use: recent blocks from the store, expired ones
 * from the files. Thread-safe when its sources are.
 */
public final class LayeredSource implements ChainSource {

  private final List<ChainSource> sources;

  /**
   * @param sources asked in this order
   */
  public LayeredSource(List<ChainSource> sources) {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("a layered source needs at least one source");
    }
    this.sources = List.copyOf(sources);
  }

  @Override
  public BlockHeader head() {
    BlockHeader best = null;
    IllegalStateException none = null;
    for (ChainSource s : sources) {
      try {
        BlockHeader h = s.head();
        if (best == null || h.number() > best.number()) {
          best = h;
        }
      } catch (IllegalStateException e) {
        // An empty source (a store not filled yet) has no head; the others may.
        none = e;
      }
    }
    if (best == null) {
      throw none;
    }
    return best;
  }

  @Override
  public long earliest() {
    long min = Long.MAX_VALUE;
    for (ChainSource s : sources) {
      try {
        s.head();
        min = Math.min(min, s.earliest());
      } catch (IllegalStateException e) {
        // An empty source serves nothing, so its earliest block means nothing.
      }
    }
    return min == Long.MAX_VALUE ? 0 : min;
  }

  @Override
  public Optional<byte[]> header(long number) {
    return first(s -> s.header(number));
  }

  @Override
  public OptionalLong number(Hash hash) {
    for (ChainSource s : sources) {
      OptionalLong n = s.number(hash);
      if (n.isPresent()) {
        return n;
      }
    }
    return OptionalLong.empty();
  }

  @Override
  public Optional<byte[]> body(Hash hash) {
    return first(s -> s.body(hash));
  }

  @Override
  public Optional<byte[]> receipts(Hash hash) {
    return first(s -> s.receipts(hash));
  }

  private Optional<byte[]> first(Function<ChainSource, Optional<byte[]>> get) {
    for (ChainSource s : sources) {
      Optional<byte[]> v = get.apply(s);
      if (v.isPresent()) {
        return v;
      }
    }
    return Optional.empty();
  }
}
