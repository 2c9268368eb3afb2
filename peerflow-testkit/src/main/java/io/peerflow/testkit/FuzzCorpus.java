package io.peerflow.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The committed corpus of a Jazzer {@code @FuzzTest}: the folder {@code
 * src/test/resources/<package>/<TestClass>Inputs/<method>/} that Jazzer replays in every {@code mvn
 * verify} and starts from when fuzzing. Seeds (real, valid inputs a test builds with the encoders)
 * are kept there as {@code seed-<name>} files next to the {@code crash-…} inputs of past findings.
 *
 * <p>{@link #checkSeeds} fails when the committed seeds differ from what the encoders produce
 * today, so a seed cannot silently go stale; run the test once with {@code
 * -Dpeerflow.fuzz.writeSeeds=true} to rewrite them. Stateless; each call reads or writes the files
 * of one fuzz test.
 */
public final class FuzzCorpus {

  /** The system property that makes {@link #checkSeeds} write the seeds instead of checking. */
  public static final String WRITE_SEEDS = "peerflow.fuzz.writeSeeds";

  private static final String SEED_PREFIX = "seed-";

  private FuzzCorpus() {}

  /** The committed corpus folder of {@code testClass}'s fuzz test {@code method}. */
  public static Path folder(Class<?> testClass, String method) {
    // Surefire sets basedir to the module's folder; an IDE usually runs tests from there too.
    Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    String packagePath = testClass.getPackageName().replace('.', '/');
    return module
        .resolve("src/test/resources")
        .resolve(packagePath)
        .resolve(testClass.getSimpleName() + "Inputs")
        .resolve(method);
  }

  /**
   * Checks that the corpus of {@code testClass}'s fuzz test {@code method} holds exactly these
   * seeds, as {@code seed-<name>} files, or writes them when {@value #WRITE_SEEDS} is {@code true}.
   *
   * @throws AssertionError naming every missing, different or extra seed file
   */
  public static void checkSeeds(Class<?> testClass, String method, Map<String, byte[]> seeds) {
    Path dir = folder(testClass, method);
    try {
      if (Boolean.getBoolean(WRITE_SEEDS)) {
        write(dir, seeds);
        return;
      }
      List<String> problems = new ArrayList<>();
      for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
        Path file = dir.resolve(SEED_PREFIX + seed.getKey());
        if (!Files.isRegularFile(file)) {
          problems.add(file + " is missing");
        } else if (!Arrays.equals(Files.readAllBytes(file), seed.getValue())) {
          problems.add(file + " differs from what the encoders produce");
        }
      }
      for (String name : committedSeeds(dir)) {
        if (!seeds.containsKey(name.substring(SEED_PREFIX.length()))) {
          problems.add(dir.resolve(name) + " is no longer a seed");
        }
      }
      if (!problems.isEmpty()) {
        throw new AssertionError(
            "stale fuzz corpus; rerun with -D"
                + WRITE_SEEDS
                + "=true to rewrite it:\n  "
                + String.join("\n  ", problems));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path dir, Map<String, byte[]> seeds) throws IOException {
    Files.createDirectories(dir);
    for (String name : committedSeeds(dir)) {
      Files.delete(dir.resolve(name));
    }
    for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
      Files.write(dir.resolve(SEED_PREFIX + seed.getKey()), seed.getValue());
    }
  }

  private static TreeSet<String> committedSeeds(Path dir) throws IOException {
    TreeSet<String> names = new TreeSet<>();
    if (!Files.isDirectory(dir)) {
      return names;
    }
    try (Stream<Path> files = Files.list(dir)) {
      files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(SEED_PREFIX))
          .forEach(names::add);
    }
    return names;
  }
}
