package io.peerflow.era;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A list of SHA-256 digests of era files by file name, in the {@code sha256sum} format of the
 * published {@code checksums.txt} lists ({@code <64 hex digits> <file name>} a line). The lists of
 * every published era1 file of mainnet and sepolia are built in. Immutable; thread-safe.
 */
public final class Checksums {

  /** The name of the list written beside exported files and looked for beside imported ones. */
  public static final String FILE_NAME = "checksums.txt";

  private final String source;
  private final Map<String, String> digests;

  private Checksums(String source, Map<String, String> digests) {
    this.source = source;
    this.digests = Map.copyOf(digests);
  }

  /** The built-in published list of {@code network}, if there is one (mainnet, sepolia). */
  public static Optional<Checksums> published(String network) {
    String resource = "checksums_" + network.toLowerCase(Locale.ROOT) + ".txt";
    InputStream in = Checksums.class.getResourceAsStream(resource);
    if (in == null) {
      return Optional.empty();
    }
    try (Reader r = new InputStreamReader(in, StandardCharsets.US_ASCII)) {
      return Optional.of(parse("the published list of " + network, r));
    } catch (IOException e) {
      throw new IllegalStateException("built-in resource " + resource + " unreadable", e);
    }
  }

  /**
   * Reads a list from a file: lines of {@code <digest> <file name>} (the published lists), or
   * go-ethereum's form, one {@code 0x<digest>} a line in the order of the era files of the list's
   * directory (what {@code geth export-history} writes and {@code import-history} reads).
   *
   * @throws EraException naming the file and line when it is not a checksum list
   */
  public static Checksums read(Path file) {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
      return parse(file.toString(), r, file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new EraException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static Checksums parse(String source, Reader reader) throws IOException {
    return parse(source, reader, null);
  }

  private static Checksums parse(String source, Reader reader, Path dir) throws IOException {
    Map<String, String> map = new HashMap<>();
    List<String> positional = new ArrayList<>();
    BufferedReader in = new BufferedReader(reader);
    int lineNo = 0;
    for (String line; (line = in.readLine()) != null; ) {
      lineNo++;
      String t = line.strip();
      if (t.isEmpty()) {
        continue;
      }
      String[] parts = t.split("\\s+\\*?", 2);
      String digest = parts[0].startsWith("0x") ? parts[0].substring(2) : parts[0];
      if (!digest.matches("(?i)[0-9a-f]{64}") || (parts.length == 1 && dir == null)) {
        throw new EraException(
            source + ":" + lineNo + ": expected '<64 hex digits> <file name>', got '" + t + "'");
      }
      if (parts.length == 1) {
        positional.add(digest.toLowerCase(Locale.ROOT));
      } else {
        map.put(parts[1], digest.toLowerCase(Locale.ROOT));
      }
    }
    if (!positional.isEmpty()) {
      List<String> files = new ArrayList<>();
      try (var list = Files.list(dir)) {
        list.map(p -> p.getFileName().toString())
            .filter(EraFileName::matches)
            .sorted()
            .forEach(files::add);
      }
      if (files.size() != positional.size()) {
        throw new EraException(
            source
                + ": lists "
                + positional.size()
                + " digests without names for the "
                + files.size()
                + " era files beside it");
      }
      for (int i = 0; i < files.size(); i++) {
        map.put(files.get(i), positional.get(i));
      }
    }
    return new Checksums(source, map);
  }

  /** Builds a list from digests by file name (for {@link #write}). */
  public static Checksums of(String source, Map<String, String> digests) {
    return new Checksums(source, digests);
  }

  /** The lower-case hex SHA-256 listed for {@code fileName}. */
  public Optional<String> digest(String fileName) {
    return Optional.ofNullable(digests.get(fileName));
  }

  /** Where the list came from, for messages. */
  public String source() {
    return source;
  }

  /** How many files the list names. */
  public int size() {
    return digests.size();
  }

  /**
   * Writes the list in go-ethereum's form, one {@code 0x<digest>} a line in file-name order, which
   * both {@code geth import-history} and {@link #read} accept beside the files it describes.
   */
  public void write(Path file) throws IOException {
    StringBuilder b = new StringBuilder();
    digests.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> b.append("0x").append(e.getValue()).append('\n'));
    Files.writeString(file, b.toString(), StandardCharsets.US_ASCII);
  }

  /** The lower-case hex SHA-256 of a file. */
  public static String sha256(Path file) throws IOException {
    java.security.MessageDigest sha = Accumulator.sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 20];
      for (int n; (n = in.read(buf)) > 0; ) {
        sha.update(buf, 0, n);
      }
    }
    return java.util.HexFormat.of().formatHex(sha.digest());
  }
}
