package io.peerflow.chain.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class LayeredSourceTest {

  /** Blocks [from, to] of bare headers; empty when from > to. */
  static final class Range implements ChainSource {
    final long from;
    final long to;
    final Map<Long, BlockHeader> headers = new java.util.HashMap<>();

    Range(long from, long to) {
      this.from = from;
      this.to = to;
      for (long n = from; n <= to; n++) {
        headers.put(
            n,
            BlockHeader.builder()
                .number(n)
                .stateRoot(Hash.ZERO)
                .difficulty(BigInteger.ONE)
                .gasLimit(5000)
                .timestamp(n)
                .build());
      }
    }

    @Override
    public BlockHeader head() {
      if (headers.isEmpty()) {
        throw new IllegalStateException("empty");
      }
      return headers.get(to);
    }

    @Override
    public long earliest() {
      return from;
    }

    @Override
    public Optional<byte[]> header(long number) {
      return Optional.ofNullable(headers.get(number)).map(BlockHeader::rlp);
    }

    @Override
    public OptionalLong number(Hash hash) {
      return headers.values().stream()
          .filter(h -> h.hash().equals(hash))
          .mapToLong(BlockHeader::number)
          .findFirst();
    }

    @Override
    public Optional<byte[]> body(Hash hash) {
      return number(hash).isPresent() ? Optional.of(new byte[] {(byte) from}) : Optional.empty();
    }

    @Override
    public Optional<byte[]> receipts(Hash hash) {
      return body(hash);
    }
  }

  @Test
  void eachItemComesFromTheFirstSourceHoldingItAndTheRangeSpansThemAll() {
    Range store = new Range(100, 120);
    Range files = new Range(0, 110);
    LayeredSource s = new LayeredSource(List.of(store, files));
    assertThat(s.head().number()).isEqualTo(120);
    assertThat(s.earliest()).isZero();
    assertThat(s.header(5)).isPresent();
    Hash h105 = store.headers.get(105L).hash();
    assertThat(s.number(h105)).hasValue(105);
    assertThat(s.body(h105)).hasValue(new byte[] {100});
    assertThat(s.body(files.headers.get(5L).hash())).hasValue(new byte[] {0});
    assertThat(s.header(121)).isEmpty();
  }

  @Test
  void anEmptySourceLendsNeitherHeadNorEarliest() {
    LayeredSource s = new LayeredSource(List.of(new Range(1, 0), new Range(8, 20)));
    assertThat(s.head().number()).isEqualTo(20);
    assertThat(s.earliest()).isEqualTo(8);
  }
}
