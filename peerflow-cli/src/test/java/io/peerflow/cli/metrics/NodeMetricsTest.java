package io.peerflow.cli.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerflow.fetch.DropReason;
import io.peerflow.peers.MessageKind;
import io.peerflow.rlpx.DisconnectReason;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** How the observers' events and a sync's drops show in the scrape. */
class NodeMetricsTest {

  final NodeMetrics metrics = new NodeMetrics();

  /** The value of the sample line {@code series} (name and labels exactly), or null. */
  Double sample(String series) {
    for (String line : metrics.scrape().split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return null;
  }

  @Test
  void aSessionIsConnectedUntilItEndsAndItsEndIsCountedUnderItsReasonAndSide() {
    metrics.sessionStarted();
    metrics.sessionStarted();
    metrics.sessionEnded(DisconnectReason.TOO_MANY_PEERS, true);

    assertThat(sample("peerflow_peers_connected")).isEqualTo(1.0);
    assertThat(sample("peerflow_peer_disconnects_total{by=\"remote\",reason=\"too_many_peers\"}"))
        .isEqualTo(1.0);
    assertThat(sample("peerflow_peer_disconnects_total{by=\"local\",reason=\"too_many_peers\"}"))
        .isNull();
  }

  @Test
  void handshakeFailuresAreCountedByReasonAndNeverAsConnectedPeers() {
    metrics.handshakeFailed(DisconnectReason.PING_TIMEOUT, false);
    metrics.handshakeFailed(DisconnectReason.PING_TIMEOUT, false);
    metrics.handshakeFailed(DisconnectReason.PROTOCOL_ERROR, false);

    assertThat(sample("peerflow_handshake_failures_total{reason=\"ping_timeout\"}")).isEqualTo(2.0);
    assertThat(sample("peerflow_handshake_failures_total{reason=\"protocol_error\"}"))
        .isEqualTo(1.0);
    assertThat(sample("peerflow_peers_connected")).isZero();
  }

  @Test
  void answersAddUpRequestsItemsAndBytesByKind() {
    metrics.answered(MessageKind.BODIES, 10, 5000);
    metrics.answered(MessageKind.BODIES, 3, 700);
    metrics.answered(MessageKind.HEADERS, 192, 100_000);

    assertThat(sample("peerflow_served_requests_total{kind=\"bodies\"}")).isEqualTo(2.0);
    assertThat(sample("peerflow_served_items_total{kind=\"bodies\"}")).isEqualTo(13.0);
    assertThat(sample("peerflow_served_bytes_total{kind=\"bodies\"}")).isEqualTo(5700.0);
    assertThat(sample("peerflow_served_items_total{kind=\"headers\"}")).isEqualTo(192.0);
    assertThat(sample("peerflow_served_requests_total{kind=\"receipts\"}")).isZero();
  }

  @Test
  void bytesReceivedAreSummed() {
    metrics.bytesReceived(1000);
    metrics.bytesReceived(24);
    assertThat(sample("peerflow_received_bytes_total")).isEqualTo(1024.0);
  }

  @Test
  void aDropIsCountedUnderItsReasonAndStillPassedOn() {
    List<String> passed = new ArrayList<>();
    metrics
        .countingDrops((peer, reason, detail) -> passed.add(reason + ": " + detail))
        .drop(null, DropReason.STALLING, "no answer for 2 minutes");

    assertThat(passed).containsExactly("STALLING: no answer for 2 minutes");
    assertThat(sample("peerflow_peer_drops_total{reason=\"stalling\"}")).isEqualTo(1.0);
    assertThat(sample("peerflow_peer_drops_total{reason=\"timeout\"}")).isZero();
  }

  @Test
  void withoutASyncNothingIsFetched() {
    for (String part : List.of("headers", "bodies", "receipts")) {
      assertThat(sample("peerflow_fetched_items_total{part=\"" + part + "\"}")).isZero();
    }
  }

  @Test
  void everyMetricIsNamedPeerflowTheJvmsMemoryIncluded() {
    Matcher m = Pattern.compile("(?m)^# TYPE (\\S+) ").matcher(metrics.scrape());
    List<String> families = new ArrayList<>();
    while (m.find()) {
      families.add(m.group(1));
    }
    assertThat(families)
        .isNotEmpty()
        .allMatch(f -> f.startsWith("peerflow_"))
        .contains("peerflow_jvm_memory_used_bytes", "peerflow_jvm_memory_max_bytes");
  }
}
