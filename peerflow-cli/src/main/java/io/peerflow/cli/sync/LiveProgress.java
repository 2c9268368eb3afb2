package io.peerflow.cli.sync;

import io.peerflow.sync.ChainSync;
import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Drives a {@link ProgressView} from a running {@link ChainSync} on a daemon thread of its own:
 * every second on a terminal, every five seconds otherwise. Thread-safe; {@link #close()} stops it
 * and draws the last frame.
 */
public final class LiveProgress implements AutoCloseable {

  private final ChainSync sync;
  private final ProgressView view;
  private final ScheduledExecutorService thread;

  private LiveProgress(ChainSync sync, ProgressView view, long periodMillis) {
    this.sync = sync;
    this.view = view;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "peerflow-progress");
              t.setDaemon(true);
              return t;
            });
    thread.scheduleAtFixedRate(this::frame, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  /** Starts showing {@code sync}'s progress on {@code out}. */
  public static LiveProgress start(
      ChainSync sync, PrintWriter out, boolean terminal, Function<String, String> peerLabel) {
    return new LiveProgress(
        sync, new ProgressView(out, terminal, peerLabel), terminal ? 1000 : 5000);
  }

  private void frame() {
    try {
      view.render(sync.progress().get(2, TimeUnit.SECONDS));
    } catch (Exception e) {
      // A frame that cannot be taken (the run is ending) is skipped; the next one will do.
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(3, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    frame();
  }
}
