package io.peerflow.cli.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serves a {@link NodeMetrics}' scrape at {@code GET /metrics}, in Prometheus's text format, on one
 * daemon thread of its own. Thread-safe; {@link #close()} stops it.
 *
 * <p>The JDK's own HTTP server rather than the Prometheus exporter: it is the server that exporter
 * wraps anyway, it needs no further dependency, and one fixed path with a refresh before each
 * scrape (a sync's progress) is all there is to serve.
 */
public final class MetricsServer implements AutoCloseable {

  /**
   * Prometheus's text exposition format, the one {@code PrometheusMeterRegistry.scrape()} writes.
   */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /** Loopback: metrics tell about the node's peers, so they are not offered beyond it unasked. */
  static final String DEFAULT_HOST = "127.0.0.1";

  private final HttpServer server;
  private final ExecutorService thread;
  private final AtomicBoolean closed = new AtomicBoolean();

  private MetricsServer(HttpServer server, ExecutorService thread) {
    this.server = server;
    this.thread = thread;
  }

  /**
   * Listens on {@code address} (port 0 picks a free one) and serves {@code metrics}.
   *
   * @throws UncheckedIOException if the address cannot be bound, saying which
   */
  public static MetricsServer start(InetSocketAddress address, NodeMetrics metrics) {
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on " + address + ": " + e, e);
    }
    // One thread: a scrape every few seconds from one Prometheus is the whole load.
    ExecutorService thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "peerflow-metrics");
              t.setDaemon(true);
              return t;
            });
    server.createContext("/metrics", exchange -> handle(exchange, metrics));
    server.setExecutor(thread);
    server.start();
    return new MetricsServer(server, thread);
  }

  private static void handle(HttpExchange exchange, NodeMetrics metrics) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")
          && !exchange.getRequestMethod().equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      if (!exchange.getRequestURI().getPath().equals("/metrics")) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      if (exchange.getRequestMethod().equals("HEAD")) {
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Where it listens (the bound port when 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** The scrape URL, for the command's output. */
  public String url() {
    InetSocketAddress a = address();
    return "http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/metrics";
  }

  /**
   * {@code HOST:PORT}, or {@code :PORT} for {@value #DEFAULT_HOST}, with a clear error otherwise.
   */
  public static InetSocketAddress parseAddress(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException(
          "--metrics expects HOST:PORT or :PORT, got '" + hostPort + "'");
    }
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("invalid port in --metrics '" + hostPort + "'");
    }
    String host = colon == 0 ? DEFAULT_HOST : hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new InetSocketAddress(host, port);
  }

  /** Stops serving at once and ends its thread. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(0);
    thread.shutdownNow();
  }
}
