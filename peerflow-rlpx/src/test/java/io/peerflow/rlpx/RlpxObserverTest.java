package io.peerflow.rlpx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a host tells its {@link RlpxObserver}, with real hosts over loopback TCP. */
class RlpxObserverTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Capability ECHO = new Capability("echo", 1, 2);

  private final List<RlpxHost> hosts = new ArrayList<>();

  /** Writes down every event, as "REASON by remote|local" for ends. */
  static final class Recording implements RlpxObserver {
    final AtomicInteger started = new AtomicInteger();
    final List<String> ended = new CopyOnWriteArrayList<>();
    final List<String> failed = new CopyOnWriteArrayList<>();
    final AtomicLong bytes = new AtomicLong();

    @Override
    public void sessionStarted() {
      started.incrementAndGet();
    }

    @Override
    public void sessionEnded(DisconnectReason reason, boolean byRemote) {
      ended.add(reason.name() + (byRemote ? " by remote" : " by local"));
    }

    @Override
    public void handshakeFailed(DisconnectReason reason, boolean byRemote) {
      failed.add(reason.name() + (byRemote ? " by remote" : " by local"));
    }

    @Override
    public void bytesReceived(int n) {
      bytes.addAndGet(n);
    }
  }

  /** A handler that ignores what it gets. */
  static final class Quiet implements ProtocolHandler {
    @Override
    public void onMessage(int code, byte[] payload) {}

    @Override
    public void onDisconnect(DisconnectReason reason, boolean byRemote, String detail) {}
  }

  @AfterEach
  void closeAll() {
    hosts.forEach(RlpxHost::close);
  }

  private RlpxHost host(RlpxObserver observer, boolean listen) {
    RlpxHost h =
        RlpxHost.start(
            RlpxConfig.builder(NodeKey.generate(HandshakePair.RANDOM))
                .handshakeTimeout(Duration.ofSeconds(2))
                .disconnectLinger(Duration.ofMillis(200))
                .eventLoopThreads(1)
                .subprotocol(ECHO, s -> new Quiet())
                .observer(observer)
                .build());
    hosts.add(h);
    if (listen) {
      h.listen(new InetSocketAddress("127.0.0.1", 0)).join();
    }
    return h;
  }

  /** Polls for an effect of the event loops, within a bound. */
  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  void aSessionIsReportedOnceStartedAndEndedWithItsReasonOnBothSides() throws Exception {
    Recording server = new Recording();
    Recording client = new Recording();
    RlpxHost s = host(server, true);
    RlpxHost c = host(client, false);

    Connection conn = c.dial(s.localEnode().orElseThrow()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    await("both sides started", () -> server.started.get() == 1 && client.started.get() == 1);
    conn.disconnect(DisconnectReason.TOO_MANY_PEERS).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    await("the server saw the end", () -> !server.ended.isEmpty());
    await("the client saw the end", () -> !client.ended.isEmpty());
    assertThat(client.ended).containsExactly("TOO_MANY_PEERS by local");
    assertThat(server.ended).containsExactly("TOO_MANY_PEERS by remote");
    assertThat(server.failed).isEmpty();
    assertThat(client.failed).isEmpty();
    assertThat(server.bytes.get()).isPositive();
    assertThat(client.bytes.get()).isPositive();
  }

  @Test
  void aConnectionThatEndsBeforeHelloIsAHandshakeFailureNotASession() throws Exception {
    Recording server = new Recording();
    Recording client = new Recording();
    RlpxHost s = host(server, true);
    RlpxHost c = host(client, false);
    Enode real = s.localEnode().orElseThrow();
    Enode wrongId = new Enode(NodeKey.generate().id(), real.host(), real.tcpPort());

    assertThatThrownBy(() -> c.dial(wrongId).get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .hasCauseInstanceOf(DisconnectedException.class);

    await("the client's failure", () -> !client.failed.isEmpty());
    await("the server's failure", () -> !server.failed.isEmpty());
    assertThat(client.failed).containsExactly("TCP_ERROR by remote");
    assertThat(server.failed).containsExactly("PROTOCOL_ERROR by local");
    assertThat(server.started.get()).isZero();
    assertThat(client.started.get()).isZero();
    assertThat(server.ended).isEmpty();
    assertThat(client.ended).isEmpty();
  }

  @Test
  void everyByteReadFromTheSocketIsCountedBeforeAnyDecoding() throws Exception {
    Recording server = new Recording();
    RlpxHost s = host(server, true);
    byte[] partOfAHandshake = new byte[300];
    Arrays.fill(partOfAHandshake, (byte) 0x5a);
    // An EIP-8 size prefix that promises more than is sent: the host keeps reading, undecided.
    partOfAHandshake[0] = (byte) 0x02;
    partOfAHandshake[1] = (byte) 0x00;
    try (Socket raw = new Socket()) {
      raw.connect(new InetSocketAddress("127.0.0.1", s.localEnode().orElseThrow().tcpPort()));
      OutputStream out = raw.getOutputStream();
      out.write(partOfAHandshake, 0, 100);
      out.flush();
      out.write(partOfAHandshake, 100, 200);
      out.flush();
      await("all 300 bytes counted", () -> server.bytes.get() == 300);
    }
    await("the cut-off handshake counted as failed", () -> !server.failed.isEmpty());
    assertThat(server.failed).containsExactly("TCP_ERROR by remote");
    assertThat(server.bytes.get()).isEqualTo(300);
  }
}
