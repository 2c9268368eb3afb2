package io.peerflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code import --era} and {@code export} on the shared mainnet era1 file. */
class ExportCommandTest {

  static final String MAINNET = "mainnet-00000-5ec1ffb8.era1";

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  static Path history() {
    return Path.of(System.getProperty("peerflow.root", ".")).resolve("../shared/history");
  }

  private int run(String... args) {
    CommandLine cl = Peerflow.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void importedHistoryExportsToTheSameFileNameAndReimportsElsewhere() throws IOException {
    String era = history().resolve(MAINNET).toString();
    String a = dir.resolve("a").toString();
    assertThat(run("import", "--era", era, "--datadir", a)).isZero();
    assertThat(out.toString())
        .contains(MAINNET + ": verified and imported blocks #0..#8191")
        .contains("Imported 8,192 blocks");
    assertThat(run("import", "--era", era, "--datadir", a)).isZero();
    assertThat(out.toString()).contains(MAINNET + ": already imported, skipped");

    Path exported = dir.resolve("out");
    assertThat(
            run(
                "export",
                "--format",
                "era1",
                "--from",
                "0",
                "--to",
                "8191",
                "--datadir",
                a,
                "--out",
                exported.toString()))
        .isZero();
    assertThat(exported.resolve(MAINNET)).isRegularFile();
    assertThat(exported.resolve("checksums.txt")).isRegularFile();

    assertThat(
            run("import", "--era", exported.toString(), "--datadir", dir.resolve("b").toString()))
        .as(err.toString())
        .isZero();
  }

  @Test
  void aDamagedFileIsOneLineAndExitCodeTwo() throws IOException {
    Path copy = dir.resolve(MAINNET);
    Files.copy(history().resolve(MAINNET), copy, StandardCopyOption.REPLACE_EXISTING);
    copy.toFile().setWritable(true);
    byte[] b = Files.readAllBytes(copy);
    b[b.length / 2] ^= 0x55;
    Files.write(copy, b);
    assertThat(run("import", "--era", copy.toString(), "--datadir", dir.resolve("d").toString()))
        .isEqualTo(2);
    assertThat(err.toString().strip())
        .startsWith("peerflow: " + MAINNET + ": ")
        .doesNotContain("\n");
  }

  @Test
  void anUnknownFormatIsRefused() {
    assertThat(
            run(
                "export",
                "--format",
                "zip",
                "--from",
                "0",
                "--to",
                "1",
                "--datadir",
                dir.toString(),
                "--out",
                dir.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--format must be era1, ere, rlp or auto");
  }
}
