package io.peerflow.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP relay for one connection between a dialling node and a listening one, which
 * damages a byte of the encrypted stream when asked: how a test puts a corrupted frame or a wrong
 * MAC between two real nodes without either of them cooperating. Arming is thread-safe; the relay
 * runs on two threads of its own and stops on {@link #close}.
 */
public final class FaultyLink implements AutoCloseable {

  /** Which way the damaged byte travels. */
  public enum Direction {
    TO_LISTENER,
    TO_DIALLER
  }

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final CountDownLatch ended = new CountDownLatch(2);
  private volatile Socket dialler;
  private volatile Socket listener;
  private final Pump toListener = new Pump();
  private final Pump toDialler = new Pump();

  /** A relay on a free loopback port to {@code target}, for the one connection it will accept. */
  public FaultyLink(InetSocketAddress target) {
    this.target = target;
    try {
      server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread accept = new Thread(this::acceptOne, "faulty-link-accept");
    accept.setDaemon(true);
    accept.start();
  }

  /** The loopback port to dial instead of the target's. */
  public int port() {
    return server.getLocalPort();
  }

  /**
   * Flips the bits of {@code mask} in the byte {@code offset} bytes into what travels in {@code
   * direction} from now on.
   */
  public void corrupt(Direction direction, int offset, int mask) {
    (direction == Direction.TO_LISTENER ? toListener : toDialler).arm(offset, (byte) mask);
  }

  /**
   * Whether the relay ended (a node closed its end, and the relay passed the close on to the other)
   * within {@code timeout}: a connection that does neither is hung.
   */
  public boolean awaitEnded(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void acceptOne() {
    try {
      dialler = server.accept();
      listener = new Socket(target.getAddress(), target.getPort());
      toListener.start(dialler, listener, "faulty-link-to-listener");
      toDialler.start(listener, dialler, "faulty-link-to-dialler");
    } catch (IOException e) {
      // closed before anyone dialled, or the target is gone: the dialler sees a closed socket
      closeQuietly(dialler);
    }
  }

  @Override
  public void close() {
    closeQuietly(server);
    closeQuietly(dialler);
    closeQuietly(listener);
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception ignored) {
        // closing is best effort in a test fixture
      }
    }
  }

  /** Copies one direction, applying the armed damage, until either side closes. */
  private final class Pump {
    private long copied;
    private long armedAt = -1;
    private int offset;
    private byte mask;

    synchronized void arm(int offset, byte mask) {
      this.armedAt = copied;
      this.offset = offset;
      this.mask = mask;
    }

    void start(Socket from, Socket to, String name) {
      Thread t = new Thread(() -> run(from, to), name);
      t.setDaemon(true);
      t.start();
    }

    private void run(Socket from, Socket to) {
      byte[] buf = new byte[64 * 1024];
      try (InputStream in = from.getInputStream();
          OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) > 0) {
          damage(buf, n);
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side went away; the finally block passes that on to the other
      } finally {
        ended.countDown();
        closeQuietly(from);
        closeQuietly(to);
      }
    }

    private synchronized void damage(byte[] buf, int n) {
      if (armedAt >= 0) {
        long at = armedAt + offset - copied;
        if (at >= 0 && at < n) {
          buf[(int) at] ^= mask;
          armedAt = -1;
        }
      }
      copied += n;
    }
  }
}
