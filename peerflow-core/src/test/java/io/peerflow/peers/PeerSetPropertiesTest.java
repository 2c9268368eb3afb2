package io.peerflow.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerflow.time.VirtualTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class PeerSetPropertiesTest {

  private static final long SECOND = 1_000_000_000L;

  /** A peer to register: version, items it delivers per second of headers, whether it is busy. */
  record PeerSpec(int version, int items, long elapsed, boolean busy) {}

  @Provide
  Arbitrary<PeerSpec> peerSpecs() {
    return Combinators.combine(
            Arbitraries.integers().between(65, 69),
            Arbitraries.integers().between(0, 100_000),
            Arbitraries.longs().between(1, 30 * SECOND),
            Arbitraries.of(true, false))
        .as(PeerSpec::new);
  }

  @Provide
  Arbitrary<List<PeerSpec>> peerLists() {
    return peerSpecs().list().ofMaxSize(40);
  }

  @Property
  void idleListsAreSortedHighestCapacityFirstAndOnlyHoldIdlePeersInRange(
      @ForAll("peerLists") List<PeerSpec> specs,
      @ForAll @IntRange(min = 65, max = 69) int min,
      @ForAll @IntRange(min = 65, max = 69) int max) {
    VirtualTime time = new VirtualTime();
    PeerSet set = new PeerSet(time);
    int inRange = 0;
    int idleInRange = 0;
    for (int i = 0; i < specs.size(); i++) {
      PeerSpec s = specs.get(i);
      PeerConnection p = set.register(new FakePeer("p" + i), s.version());
      p.fetchHeaders(0, 1);
      time.advance(s.elapsed());
      p.setIdle(MessageKind.HEADERS, s.items());
      if (s.busy()) {
        p.fetchHeaders(0, 1);
      }
      if (s.version() >= min && s.version() <= max) {
        inRange++;
        idleInRange += s.busy() ? 0 : 1;
      }
    }
    IdlePeers idle = set.idlePeers(MessageKind.HEADERS, min, max);
    assertThat(idle.total()).isEqualTo(inRange);
    assertThat(idle.peers()).hasSize(idleInRange);
    for (int i = 0; i < idle.peers().size(); i++) {
      PeerConnection p = idle.peers().get(i);
      assertThat(p.isIdle(MessageKind.HEADERS)).isTrue();
      assertThat(p.version()).isBetween(min, max);
      assertThat(idle.capacity(i)).isEqualTo(p.tracker().capacity(4, SECOND));
      if (i > 0) {
        assertThat(idle.capacity(i)).isLessThanOrEqualTo(idle.capacity(i - 1));
      }
    }
  }

  /** Register ({@code true}) or unregister ({@code false}) the peer with this id. */
  record Change(boolean register, String id) {}

  @Provide
  Arbitrary<Change> changes() {
    return Combinators.combine(
            Arbitraries.of(true, false), Arbitraries.of("a", "b", "c", "d", "e", "f"))
        .as(Change::new);
  }

  @Provide
  Arbitrary<List<Change>> changeLists() {
    return changes().list().ofMaxSize(60);
  }

  @Property
  void registerAndUnregisterKeepSizeAndEventsConsistent(
      @ForAll("changeLists") List<Change> changes) {
    PeerSet set = new PeerSet(new VirtualTime());
    List<PeerEvent> events = new ArrayList<>();
    set.subscribe(events::add, Runnable::run);
    Map<String, PeerConnection> model = new LinkedHashMap<>();
    int expectedEvents = 0;
    for (Change c : changes) {
      if (c.register()) {
        if (model.containsKey(c.id())) {
          assertThatThrownBy(() -> set.register(new FakePeer(c.id()), 66))
              .hasMessage("already registered");
        } else {
          model.put(c.id(), set.register(new FakePeer(c.id()), 66));
          expectedEvents++;
        }
      } else {
        if (model.containsKey(c.id())) {
          assertThat(set.unregister(c.id())).isSameAs(model.remove(c.id()));
          expectedEvents++;
        } else {
          assertThatThrownBy(() -> set.unregister(c.id())).hasMessage("not registered");
        }
      }
      assertThat(set.size()).isEqualTo(model.size());
      assertThat(set.trackers().size()).isEqualTo(model.size());
      assertThat(set.peers()).containsExactlyElementsOf(model.values());
    }
    assertThat(events).hasSize(expectedEvents);
    // Replaying the events rebuilds the set: joins and leaves alternate per connection.
    Map<String, PeerConnection> replayed = new HashMap<>();
    for (PeerEvent e : events) {
      if (e.type() == PeerEvent.Type.JOIN) {
        assertThat(replayed.put(e.peer().id(), e.peer())).isNull();
      } else {
        assertThat(replayed.remove(e.peer().id())).isSameAs(e.peer());
      }
    }
    assertThat(replayed).isEqualTo(model);
  }
}
