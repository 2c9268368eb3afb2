package io.peerflow.rlpx;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Loads {@code eip8-vectors.txt}: the test vectors published in EIP-8 (see the file's header). */
final class Eip8Vectors {

  private static final Map<String, byte[]> VECTORS = load();

  private Eip8Vectors() {}

  static byte[] get(String name) {
    byte[] v = VECTORS.get(name);
    if (v == null) {
      throw new IllegalArgumentException("no vector " + name);
    }
    return v.clone();
  }

  static NodeKey key(String name) {
    return NodeKey.fromBytes(get(name));
  }

  private static Map<String, byte[]> load() {
    Map<String, StringBuilder> text = new LinkedHashMap<>();
    try (InputStream in = Eip8Vectors.class.getResourceAsStream("/eip8-vectors.txt");
        BufferedReader r =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      String current = null;
      for (String line; (line = r.readLine()) != null; ) {
        line = line.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        if (line.startsWith("[")) {
          current = line.substring(1, line.length() - 1);
          text.put(current, new StringBuilder());
        } else {
          text.get(current).append(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, byte[]> out = new LinkedHashMap<>();
    text.forEach((k, v) -> out.put(k, HexFormat.of().parseHex(v)));
    return out;
  }
}
