package io.peerflow.testkit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * go-ethereum v1.17.10's {@code geth} and {@code devp2p}, built once per machine from the Go module
 * proxy into {@code ~/.cache/peerflow/go-ethereum-v1.17.10/bin} the first time any test asks for
 * them, the way the ethereumjs fixture installs its client from npm: so the cross-checks of every
 * module run on a fresh machine too, whichever module's tests come first.
 *
 * <p>Thread-safe, and safe across test JVMs: the build runs under a file lock.
 */
public final class GoEthereum {

  public static final String VERSION = "v1.17.10";

  private static final String MODULE = "github.com/ethereum/go-ethereum";

  /**
   * Building both tools from a cold module cache takes about 5 minutes on two cores; a slow proxy
   * or a loaded CI machine may take several times that, inside CI's 30 minutes.
   */
  private static final long INSTALL_MINUTES = 20;

  private GoEthereum() {}

  /** Where the tools are installed. */
  public static Path binDir() {
    return Path.of(
        System.getProperty("user.home"), ".cache", "peerflow", "go-ethereum-" + VERSION, "bin");
  }

  /** The geth executable, built on first use. */
  public static Path geth() throws IOException, InterruptedException {
    install();
    return binDir().resolve("geth");
  }

  /** The devp2p executable (go-ethereum's conformance suite), built on first use. */
  public static Path devp2p() throws IOException, InterruptedException {
    install();
    return binDir().resolve("devp2p");
  }

  /** Builds both tools unless both are there. Needs Go (1.25+) and its module proxy. */
  public static synchronized void install() throws IOException, InterruptedException {
    Path bin = binDir();
    Files.createDirectories(bin);
    try (FileChannel ch =
            FileChannel.open(
                bin.resolveSibling(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = ch.lock()) {
      if (installed()) {
        return;
      }
      Path log = Files.createTempFile("go-install", ".log");
      ProcessBuilder pb =
          new ProcessBuilder(
                  List.of(
                      "go",
                      "install",
                      MODULE + "/cmd/geth@" + VERSION,
                      MODULE + "/cmd/devp2p@" + VERSION))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().put("GOBIN", bin.toString());
      Process p = pb.start();
      if (!p.waitFor(INSTALL_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException("go install of go-ethereum " + VERSION + " timed out; log: " + log);
      }
      if (p.exitValue() != 0 || !installed()) {
        throw new IOException(
            "go install of go-ethereum "
                + VERSION
                + " failed (exit "
                + p.exitValue()
                + "): "
                + Files.readString(log).strip());
      }
      Files.deleteIfExists(log);
    }
  }

  private static boolean installed() {
    return Files.isExecutable(binDir().resolve("geth"))
        && Files.isExecutable(binDir().resolve("devp2p"));
  }
}
