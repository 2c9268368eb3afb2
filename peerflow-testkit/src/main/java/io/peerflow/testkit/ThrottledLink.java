package io.peerflow.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP relay for one connection between a dialling node and a listening one, which slows
 * one direction on demand: {@link #stall} stops reading it (the sender's socket buffers fill, as
 * with a peer that does not read), {@link #dribble} passes it on one byte at a time. How a test
 * plays a slow reader or a slow sender between two real nodes without either cooperating.
 *
 * <p>Thread-safe; the relay runs on two threads of its own and stops on {@link #close}.
 */
public final class ThrottledLink implements AutoCloseable {

  /** Which way the throttled bytes travel. */
  public enum Direction {
    TO_LISTENER,
    TO_DIALLER
  }

  /** Bytes each relay socket buffers. */
  static final int SOCKET_BUFFER = 64 * 1024;

  private final ServerSocket server;
  private final InetSocketAddress target;
  private volatile Socket dialler;
  private volatile Socket listener;
  private final Pump toListener = new Pump();
  private final Pump toDialler = new Pump();

  /** A relay on a free loopback port to {@code target}, for the one connection it will accept. */
  public ThrottledLink(InetSocketAddress target) {
    this.target = target;
    try {
      server = new ServerSocket();
      // Small socket buffers, so that a stalled direction fills the sender's buffers soon instead
      // of the tens of megabytes loopback would otherwise absorb.
      server.setReceiveBufferSize(SOCKET_BUFFER);
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread accept = new Thread(this::acceptOne, "throttled-link-accept");
    accept.setDaemon(true);
    accept.start();
  }

  /** The loopback port to dial instead of the target's. */
  public int port() {
    return server.getLocalPort();
  }

  /** Stops passing on (and reading) what travels in {@code direction}, from the next read on. */
  public void stall(Direction direction) {
    pump(direction).mode = Mode.STALLED;
  }

  /**
   * Once {@code after} more bytes have passed in {@code direction}, passes the rest on one byte
   * every {@code millisPerByte}.
   */
  public void dribble(Direction direction, long after, long millisPerByte) {
    Pump p = pump(direction);
    p.dribbleFrom.set(p.copied.get() + after);
    p.millisPerByte = millisPerByte;
    p.mode = Mode.DRIBBLE;
  }

  /** Bytes passed on so far in {@code direction}. */
  public long passed(Direction direction) {
    return pump(direction).copied.get();
  }

  private Pump pump(Direction d) {
    return d == Direction.TO_LISTENER ? toListener : toDialler;
  }

  private void acceptOne() {
    try {
      dialler = server.accept();
      dialler.setSendBufferSize(SOCKET_BUFFER);
      Socket l = new Socket();
      l.setReceiveBufferSize(SOCKET_BUFFER);
      l.setSendBufferSize(SOCKET_BUFFER);
      l.connect(target);
      listener = l;
      toListener.start(dialler, listener, "throttled-link-to-listener");
      toDialler.start(listener, dialler, "throttled-link-to-dialler");
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

  private enum Mode {
    PASS,
    STALLED,
    DRIBBLE
  }

  /** Copies one direction in its current mode until either side closes or the link is closed. */
  private final class Pump {
    volatile Mode mode = Mode.PASS;
    volatile long millisPerByte;
    final AtomicLong dribbleFrom = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong copied = new AtomicLong();

    void start(Socket from, Socket to, String name) {
      Thread t = new Thread(() -> run(from, to), name);
      t.setDaemon(true);
      t.start();
    }

    private void run(Socket from, Socket to) {
      byte[] buf = new byte[16 * 1024];
      try (InputStream in = from.getInputStream();
          OutputStream out = to.getOutputStream()) {
        while (true) {
          Mode m = mode;
          if (m == Mode.STALLED) {
            // Reading nothing is the point: the sender's buffers fill. Poll the socket's state
            // only.
            Thread.sleep(20);
            if (from.isClosed() || to.isClosed()) {
              return;
            }
            continue;
          }
          int want =
              m == Mode.DRIBBLE && copied.get() >= dribbleFrom.get()
                  ? 1
                  : (int) Math.min(buf.length, Math.max(1, dribbleFrom.get() - copied.get()));
          int n = in.read(buf, 0, want);
          if (n <= 0) {
            return;
          }
          out.write(buf, 0, n);
          out.flush();
          copied.addAndGet(n);
          if (want == 1 && m == Mode.DRIBBLE) {
            Thread.sleep(millisPerByte);
          }
        }
      } catch (IOException | InterruptedException e) {
        // one side went away, or the test is over; the finally block passes that on
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }
  }
}
