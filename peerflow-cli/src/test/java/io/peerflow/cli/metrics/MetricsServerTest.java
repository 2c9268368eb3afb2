package io.peerflow.cli.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The scrape endpoint over loopback HTTP, and the address flag. */
class MetricsServerTest {

  final HttpClient http = HttpClient.newHttpClient();

  HttpResponse<String> send(String url, String method) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesTheScrapeAtMetricsInPrometheusTextFormatAndNothingElse() throws Exception {
    NodeMetrics metrics = new NodeMetrics();
    metrics.bytesReceived(77);
    try (MetricsServer server =
        MetricsServer.start(new InetSocketAddress("127.0.0.1", 0), metrics)) {
      assertThat(server.address().getPort()).isPositive();
      assertThat(server.url())
          .isEqualTo("http://127.0.0.1:" + server.address().getPort() + "/metrics");

      HttpResponse<String> ok = send(server.url(), "GET");
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(ok.body()).contains("peerflow_received_bytes_total 77.0");

      assertThat(send(server.url() + "/more", "GET").statusCode()).isEqualTo(404);
      assertThat(send(server.url(), "POST").statusCode()).isEqualTo(405);
    }
  }

  @Test
  void aClosedServerNoLongerAnswersAndClosingTwiceIsHarmless() throws Exception {
    MetricsServer server =
        MetricsServer.start(new InetSocketAddress("127.0.0.1", 0), new NodeMetrics());
    String url = server.url();
    server.close();
    server.close();
    assertThatThrownBy(() -> send(url, "GET")).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void aPortAloneMeansLoopback() {
    InetSocketAddress a = MetricsServer.parseAddress(":9464");
    assertThat(a.getAddress().isLoopbackAddress()).isTrue();
    assertThat(a.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(a.getPort()).isEqualTo(9464);
    assertThat(MetricsServer.parseAddress("127.0.0.1:0").getPort()).isZero();
  }

  @Test
  void aMalformedAddressIsOneClearError() {
    assertThatThrownBy(() -> MetricsServer.parseAddress("9464"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--metrics expects HOST:PORT or :PORT, got '9464'");
    assertThatThrownBy(() -> MetricsServer.parseAddress("127.0.0.1:"))
        .hasMessageContaining("expects HOST:PORT");
    assertThatThrownBy(() -> MetricsServer.parseAddress("127.0.0.1:http"))
        .hasMessage("invalid port in --metrics '127.0.0.1:http'");
    assertThatThrownBy(() -> MetricsServer.parseAddress(":70000"))
        .hasMessage("invalid port in --metrics ':70000'");
  }

  @Test
  void anAddressInUseIsReportedWithTheAddress() {
    try (MetricsServer first =
        MetricsServer.start(new InetSocketAddress("127.0.0.1", 0), new NodeMetrics())) {
      InetSocketAddress taken = first.address();
      assertThatThrownBy(() -> MetricsServer.start(taken, new NodeMetrics()))
          .isInstanceOf(java.io.UncheckedIOException.class)
          .hasMessageContaining("cannot serve metrics on " + taken);
    }
  }
}
