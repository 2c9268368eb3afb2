package io.peerflow.msgrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TrackerViewTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void showsTheTrackersLatestEstimates() {
    Tracker t = new Tracker(Map.of(), 3 * SECOND);
    TrackerView view = t.view();
    t.update(4, SECOND, 100);
    assertThat(view.capacities()).isEqualTo(t.capacities());
    assertThat(view.roundTrip()).isEqualTo(t.roundTrip());
    assertThat(view.capacity(4, SECOND)).isEqualTo(t.capacity(4, SECOND));
  }

  @Test
  void isOneViewPerTracker() {
    Tracker t = new Tracker(Map.of(), SECOND);
    assertThat(t.view()).isSameAs(t.view());
  }
}
