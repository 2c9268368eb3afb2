package io.peerflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerflow.chain.Hash;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChainStoreTest {

  @TempDir Path dir;

  static Hash hash(long n, int fork) {
    byte[] b = new byte[32];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (n >>> (56 - 8 * i));
    }
    b[31] = (byte) fork;
    return Hash.of(b);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyPartIsReadBackByNumberAndByHash() {
    try (ChainStore s = ChainStore.open(dir)) {
      try (WriteBatch b = s.batch()) {
        b.putHeader(7, hash(7, 0), bytes("h7"))
            .putBody(7, hash(7, 0), bytes("b7"))
            .putReceipts(7, hash(7, 0), bytes("r7"))
            .putMeta("k", bytes("v"))
            .commit();
      }
      assertThat(s.canonicalHash(7)).contains(hash(7, 0));
      assertThat(s.number(hash(7, 0))).hasValue(7);
      assertThat(s.header(7)).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("h7")));
      assertThat(s.header(hash(7, 0)))
          .hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("h7")));
      assertThat(s.body(7)).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("b7")));
      assertThat(s.body(hash(7, 0))).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("b7")));
      assertThat(s.receipts(hash(7, 0)))
          .hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("r7")));
      assertThat(s.meta("k")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("v")));
      assertThat(s.hasBody(7)).isTrue();
      assertThat(s.hasReceipts(8)).isFalse();
      assertThat(s.header(8)).isEmpty();
      assertThat(s.body(hash(9, 9))).isEmpty();
    }
  }

  @Test
  void totalDifficultyIsKeptForTheCanonicalBlockAndSurvivesAReopen() {
    try (ChainStore store = ChainStore.open(dir)) {
      assertThat(store.totalDifficulty(5)).isEmpty();
      try (WriteBatch b = store.batch()) {
        b.putHeader(5, hash(5, 0), bytes("h5"));
        b.putTotalDifficulty(5, hash(5, 0), new java.math.BigInteger("58750003716598352816469"));
        b.commit();
      }
    }
    try (ChainStore store = ChainStore.open(dir)) {
      assertThat(store.totalDifficulty(5))
          .contains(new java.math.BigInteger("58750003716598352816469"));
      try (WriteBatch b = store.batch()) {
        b.putHeader(5, hash(5, 1), bytes("h5'"));
        b.commit();
      }
      assertThat(store.totalDifficulty(5)).as("another block now at #5").isEmpty();
    }
  }

  @Test
  void aNewCanonicalHeaderHidesTheOldBlocksPartsAtThatHeight() {
    try (ChainStore s = ChainStore.open(dir)) {
      try (WriteBatch b = s.batch()) {
        b.putHeader(3, hash(3, 0), bytes("old")).putBody(3, hash(3, 0), bytes("oldbody")).commit();
      }
      try (WriteBatch b = s.batch()) {
        b.putHeader(3, hash(3, 1), bytes("new")).commit();
      }
      assertThat(s.hasBody(3)).isFalse();
      assertThat(s.header(3)).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("new")));
      assertThat(s.body(hash(3, 0))).isPresent();
    }
  }

  @Test
  void aBatchClosedWithoutCommitWritesNothing() {
    try (ChainStore s = ChainStore.open(dir)) {
      try (WriteBatch b = s.batch()) {
        b.putHeader(1, hash(1, 0), bytes("h"));
      }
      assertThat(s.hasHeader(1)).isFalse();
    }
  }

  @Test
  void aSecondOpenOfTheSameDirectoryFailsWithOneClearLine() {
    try (ChainStore s = ChainStore.open(dir)) {
      assertThatThrownBy(() -> ChainStore.open(dir))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("in use by another peerflow process");
    }
  }

  @Test
  void aFileWhereTheDirectoryShouldBeIsAClearError() throws Exception {
    Path file = Files.writeString(dir.resolve("f"), "x");
    assertThatThrownBy(() -> ChainStore.open(file)).hasMessageContaining("is a file");
  }

  @Test
  void closingTwiceIsHarmlessAndUseAfterCloseIsAClearError() {
    ChainStore s = ChainStore.open(dir);
    s.close();
    s.close();
    assertThatThrownBy(() -> s.header(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void dataSurvivesReopening() {
    try (ChainStore s = ChainStore.open(dir)) {
      try (WriteBatch b = s.batch()) {
        b.putHeader(5, hash(5, 0), bytes("h")).commit();
      }
    }
    try (ChainStore s = ChainStore.open(dir)) {
      assertThat(s.highestHeader()).hasValue(5);
      assertThat(s.lowestHeader()).hasValue(5);
    }
  }

  @Property(tries = 40)
  void missingRangesAreExactlyTheNumbersWithoutThePart(
      @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 99) Integer> withHeader,
      @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 99) Integer> withBody,
      @ForAll @IntRange(min = 0, max = 99) int from,
      @ForAll @IntRange(min = 0, max = 99) int to)
      throws Exception {
    Path d = Files.createTempDirectory("store-prop");
    try (ChainStore s = ChainStore.open(d)) {
      TreeSet<Integer> headers = new TreeSet<>(withHeader);
      TreeSet<Integer> bodies = new TreeSet<>();
      try (WriteBatch b = s.batch()) {
        for (int n : headers) {
          b.putHeader(n, hash(n, 0), bytes("h"));
        }
        for (int n : withBody) {
          // A body under another hash than the canonical one does not count.
          boolean canonical = headers.contains(n) && n % 3 != 0;
          b.putBody(n, hash(n, canonical ? 0 : 1), bytes("b"));
          if (canonical) {
            bodies.add(n);
          }
        }
        b.commit();
      }
      assertThat(expand(s.missingRanges(Part.HEADERS, from, to)))
          .isEqualTo(missing(headers, from, to));
      assertThat(expand(s.missingRanges(Part.BODIES, from, to)))
          .isEqualTo(missing(bodies, from, to));
      assertThat(s.countMissing(Part.BODIES, from, to)).isEqualTo(missing(bodies, from, to).size());
    } finally {
      try (var w = Files.walk(d)) {
        w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  static List<Long> expand(List<long[]> ranges) {
    List<Long> out = new ArrayList<>();
    for (long[] r : ranges) {
      for (long n = r[1]; n >= r[0]; n--) {
        out.add(n);
      }
    }
    return out;
  }

  static List<Long> missing(TreeSet<Integer> present, int from, int to) {
    List<Long> out = new ArrayList<>();
    for (long n = to; n >= from; n--) {
      if (!present.contains((int) n)) {
        out.add(n);
      }
    }
    return out;
  }

  @Test
  void concurrentWritersAndReadersSeeWholeBatches() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (ChainStore s = ChainStore.open(dir)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        int base = t * 10_000;
        fs.add(
            pool.submit(
                () -> {
                  for (int n = base; n < base + 2000; n++) {
                    try (WriteBatch b = s.batch()) {
                      b.putHeader(n, hash(n, 0), bytes("h" + n))
                          .putBody(n, hash(n, 0), bytes("b" + n))
                          .commit();
                    }
                  }
                }));
        fs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 20_000; i++) {
                    long n = base + (i % 2000);
                    // A header without its body would mean a half-applied batch.
                    if (s.hasHeader(n)) {
                      assertThat(s.body(n))
                          .hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("b" + n)));
                    }
                  }
                }));
      }
      for (Future<?> f : fs) {
        f.get(60, TimeUnit.SECONDS);
      }
      assertThat(s.countMissing(Part.BODIES, 0, 1999)).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  /** Child JVM: commits numbered batches forever, printing each number once it is committed. */
  public static void main(String[] args) {
    try (ChainStore s = ChainStore.open(Path.of(args[0]))) {
      for (long n = 0; ; n++) {
        try (WriteBatch b = s.batch()) {
          b.putHeader(n, hash(n, 0), new byte[4096])
              .putBody(n, hash(n, 0), new byte[8192])
              .putReceipts(n, hash(n, 0), new byte[2048])
              .commit();
        }
        System.out.println(n);
        System.out.flush();
      }
    }
  }

  @Test
  void afterAKillNineEveryReportedBatchIsThereWhole() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                ChainStoreTest.class.getName(),
                dir.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    long last = -1;
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
      String line;
      while ((line = r.readLine()) != null) {
        last = Long.parseLong(line.trim());
        if (last >= 2000) {
          break;
        }
      }
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(last).isGreaterThanOrEqualTo(2000);
    try (ChainStore s = ChainStore.open(dir)) {
      for (long n = 0; n <= last; n++) {
        assertThat(s.hasBody(n) && s.hasReceipts(n)).as("block %d", n).isTrue();
      }
      long top = s.highestHeader().orElseThrow();
      for (long n = 0; n <= top; n++) {
        assertThat(s.hasHeader(n) == s.hasBody(n) && s.hasBody(n) == s.hasReceipts(n))
            .as("block %d whole", n)
            .isTrue();
      }
    }
  }
}
