package io.peerflow.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A JSON-RPC 2.0 client over HTTP to a client on loopback. Thread-safe. */
final class JsonRpc {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI endpoint;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicLong ids = new AtomicLong();

  JsonRpc(int port) {
    this.endpoint = URI.create("http://127.0.0.1:" + port);
  }

  /** One call; returns its {@code result}, or fails with the call's error. */
  JsonNode call(String method, Object... params) throws IOException, InterruptedException {
    ObjectNode req = JSON.createObjectNode();
    req.put("jsonrpc", "2.0");
    req.put("id", ids.incrementAndGet());
    req.put("method", method);
    ArrayNode p = req.putArray("params");
    for (Object o : params) {
      p.add(JSON.valueToTree(o));
    }
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(60))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(req)))
            .build();
    HttpResponse<String> res = http.send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(res.body());
    if (body.has("error")) {
      throw new IOException(method + " failed: " + body.get("error"));
    }
    return body.get("result");
  }
}
