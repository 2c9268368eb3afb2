package io.peerflow.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualTimeTest {

  @Test
  void tasksRunInDueOrderAndTiesInScheduleOrder() {
    VirtualTime vt = new VirtualTime(0);
    List<String> ran = new ArrayList<>();
    vt.schedule(20, () -> ran.add("b"));
    vt.schedule(10, () -> ran.add("a"));
    vt.schedule(20, () -> ran.add("c"));
    vt.advance(20);
    assertThat(ran).containsExactly("a", "b", "c");
    assertThat(vt.nanos()).isEqualTo(20);
  }

  @Test
  void clockReadsTheTaskDueTimeWhileTheTaskRuns() {
    VirtualTime vt = new VirtualTime(100);
    long[] seen = new long[1];
    vt.schedule(50, () -> seen[0] = vt.nanos());
    vt.advance(1000);
    assertThat(seen[0]).isEqualTo(150);
    assertThat(vt.nanos()).isEqualTo(1100);
  }

  @Test
  void cancelledTaskNeverRuns() {
    VirtualTime vt = new VirtualTime(0);
    List<String> ran = new ArrayList<>();
    Timer.Timeout t = vt.schedule(5, () -> ran.add("x"));
    assertThat(t.cancel()).isTrue();
    assertThat(t.cancel()).isFalse();
    vt.advance(10);
    assertThat(ran).isEmpty();
  }

  @Test
  void tasksScheduledByTasksRunWhenDue() {
    VirtualTime vt = new VirtualTime(0);
    List<Long> ran = new ArrayList<>();
    vt.schedule(5, () -> vt.schedule(5, () -> ran.add(vt.nanos())));
    assertThat(vt.runUntilIdle(100)).isEqualTo(2);
    assertThat(ran).containsExactly(10L);
  }

  @Test
  void refusesToMoveBackwards() {
    assertThatThrownBy(() -> new VirtualTime(0).advance(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
