package io.peerflow.rlpx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CapabilityNegotiationTest {

  private static Hello.Cap cap(String name, long version) {
    return new Hello.Cap(name, version);
  }

  @Test
  void sharedCapabilitiesGetConsecutiveRangesFrom0x10InAlphabeticalOrder() {
    List<Capability> local =
        List.of(
            new Capability("snap", 1, 8),
            new Capability("eth", 67, 17),
            new Capability("eth", 68, 17),
            new Capability("aaa", 1, 3),
            new Capability("les", 4, 23));
    List<Hello.Cap> remote =
        List.of(
            cap("eth", 66),
            cap("eth", 67),
            cap("eth", 68),
            cap("snap", 1),
            cap("aaa", 2),
            cap("zzz", 1));
    List<CapabilityNegotiation.Shared> shared = CapabilityNegotiation.negotiate(local, remote);
    assertThat(shared)
        .containsExactly(
            new CapabilityNegotiation.Shared(new Capability("eth", 68, 17), 0x10),
            new CapabilityNegotiation.Shared(new Capability("snap", 1, 8), 0x10 + 17));
    assertThat(shared.get(1).contains(0x21)).isTrue();
    assertThat(shared.get(1).contains(0x29)).isFalse();
    assertThat(shared.get(0).contains(0x20)).isTrue();
  }

  @Test
  void theHighestSharedVersionWinsNotTheHighestLocalOne() {
    List<Capability> local = List.of(new Capability("eth", 68, 17), new Capability("eth", 67, 17));
    assertThat(CapabilityNegotiation.negotiate(local, List.of(cap("eth", 67), cap("eth", 69))))
        .extracting(s -> s.capability().version())
        .containsExactly(67);
  }

  @Test
  void namesAreCaseSensitiveAndOrderedByteWise() {
    List<Capability> local =
        List.of(
            new Capability("eth", 1, 1), new Capability("Eth", 1, 2), new Capability("ETH", 1, 1));
    List<CapabilityNegotiation.Shared> shared =
        CapabilityNegotiation.negotiate(local, List.of(cap("eth", 1), cap("Eth", 1)));
    assertThat(shared).extracting(s -> s.capability().name()).containsExactly("Eth", "eth");
    assertThat(shared).extracting(CapabilityNegotiation.Shared::offset).containsExactly(0x10, 0x12);
  }

  @Test
  void nothingSharedIsEmpty() {
    assertThat(
            CapabilityNegotiation.negotiate(
                List.of(new Capability("eth", 68, 17)), List.of(cap("eth", 67))))
        .isEmpty();
  }

  @Test
  void capabilitiesAreValidated() {
    assertThatThrownBy(() -> new Capability("", 1, 1)).hasMessageContaining("1..8");
    assertThatThrownBy(() -> new Capability("ninechars", 1, 1)).hasMessageContaining("1..8");
    assertThatThrownBy(() -> new Capability("é", 1, 1)).hasMessageContaining("ASCII");
    assertThatThrownBy(() -> new Capability("eth", 1, 0)).hasMessageContaining("at least one");
    assertThat(new Capability("eth", 68, 17).toString()).isEqualTo("eth/68");
  }
}
