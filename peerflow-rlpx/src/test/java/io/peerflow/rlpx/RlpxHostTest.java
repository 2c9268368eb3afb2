package io.peerflow.rlpx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two real hosts talking over loopback TCP. */
class RlpxHostTest {

  /** How long any single step may take on loopback before the test calls it hung. */
  private static final long WAIT_SECONDS = 5;

  /** echo/1: code 0 is a request the handler answers with code 1 and the same payload. */
  private static final Capability ECHO = new Capability("echo", 1, 2);

  private final List<RlpxHost> hosts = new ArrayList<>();
  private final LogCapture disconnects = LogCapture.disconnects();
  private final LogCapture nettyWarnings = LogCapture.nettyWarnings();

  @AfterEach
  void closeAll() {
    hosts.forEach(RlpxHost::close);
    assertThat(nettyWarnings.lines()).isEmpty();
    disconnects.close();
    nettyWarnings.close();
  }

  private static RlpxConfig.Builder config() {
    return RlpxConfig.builder(NodeKey.generate(HandshakePair.RANDOM))
        .handshakeTimeout(Duration.ofSeconds(2))
        .disconnectLinger(Duration.ofMillis(200))
        .eventLoopThreads(1);
  }

  private RlpxHost host(RlpxConfig config) {
    RlpxHost h = RlpxHost.start(config);
    hosts.add(h);
    return h;
  }

  private RlpxHost listening(RlpxConfig config) {
    RlpxHost h = host(config);
    h.listen(new InetSocketAddress("127.0.0.1", 0)).join();
    return h;
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /** Handler that answers echo requests and records what it sees. */
  static final class Echo implements ProtocolHandler {
    final ProtocolSession session;
    final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    final List<Boolean> writability = new CopyOnWriteArrayList<>();
    final CompletableFuture<String> disconnected = new CompletableFuture<>();

    Echo(ProtocolSession session) {
      this.session = session;
    }

    @Override
    public void onMessage(int code, byte[] payload) {
      if (code == 0) {
        session.send(1, payload);
      } else {
        received.add(
            payload.length > 64
                ? "len " + payload.length + " " + Arrays.hashCode(payload)
                : new String(payload));
      }
    }

    @Override
    public void onDisconnect(DisconnectReason reason, boolean byRemote, String detail) {
      disconnected.complete(reason.name() + (byRemote ? " by remote" : " by us"));
    }

    @Override
    public void onWritabilityChanged(boolean writable) {
      writability.add(writable);
    }
  }

  @Test
  void handshakeHelloAndCapabilityNegotiationBetweenTwoHosts() throws Exception {
    Capability eth67 = new Capability("eth", 67, 17);
    Capability eth68 = new Capability("eth", 68, 17);
    Capability snap = new Capability("snap", 1, 8);
    ProtocolHandlerFactory silent = s -> new Echo(s);
    List<ProtocolSession> serverSessions = new CopyOnWriteArrayList<>();
    CompletableFuture<Connection> inbound = new CompletableFuture<>();
    RlpxHost server =
        listening(
            config()
                .clientId("server/1")
                .subprotocol(
                    eth67,
                    s -> {
                      serverSessions.add(s);
                      return new Echo(s);
                    })
                .subprotocol(eth68, silent)
                .subprotocol(
                    snap,
                    s -> {
                      serverSessions.add(s);
                      return new Echo(s);
                    })
                .subprotocol(new Capability("aaa", 1, 1), silent)
                .onConnection(inbound::complete)
                .build());
    RlpxHost client =
        host(
            config()
                .clientId("client/2")
                .subprotocol(new Capability("eth", 66, 17), silent)
                .subprotocol(eth67, silent)
                .subprotocol(snap, silent)
                .subprotocol(new Capability("zzz", 1, 1), silent)
                .build());

    Connection out = await(client.dial(server.localEnode().orElseThrow()));
    Connection in = await(inbound);

    assertThat(out.remoteId()).isEqualTo(server.localId());
    assertThat(in.remoteId()).isEqualTo(client.localId());
    assertThat(out.remoteClientId()).isEqualTo("server/1");
    assertThat(in.remoteClientId()).isEqualTo("client/2");
    assertThat(out.isInitiator()).isTrue();
    assertThat(in.isInitiator()).isFalse();
    assertThat(out.remoteProtocolVersion()).isEqualTo(5);
    assertThat(out.sharedCapabilities()).containsExactly(eth67, snap);
    assertThat(in.sharedCapabilities()).containsExactly(eth67, snap);
    assertThat(in.remoteCapabilities()).containsExactly("eth/66", "eth/67", "snap/1", "zzz/1");
    assertThat(out.remoteAddress().getPort()).isEqualTo(server.localEnode().get().tcpPort());
    assertThat(serverSessions).extracting(ProtocolSession::version).containsExactly(67, 1);
    assertThat(server.connections()).containsExactly(in);
    assertThat(client.connections()).containsExactly(out);
  }

  @Test
  void aTestSubprotocolEchoesMessagesInOrderIncludingLargeOnes() throws Exception {
    RlpxHost server = listening(config().subprotocol(ECHO, Echo::new).build());
    CompletableFuture<Echo> clientEcho = new CompletableFuture<>();
    RlpxHost client =
        host(
            config()
                .subprotocol(
                    ECHO,
                    s -> {
                      Echo e = new Echo(s);
                      clientEcho.complete(e);
                      return e;
                    })
                .build());
    await(client.dial(server.localEnode().orElseThrow()));
    Echo echo = await(clientEcho);

    for (int i = 0; i < 200; i++) {
      echo.session.send(0, ("msg " + i).getBytes());
    }
    for (int i = 0; i < 200; i++) {
      assertThat(echo.received.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("msg " + i);
    }
    byte[] big = new byte[3 << 20];
    HandshakePair.RANDOM.nextBytes(big); // incompressible: compressed frames come out larger
    await(echo.session.send(0, big));
    assertThat(echo.received.poll(WAIT_SECONDS, TimeUnit.SECONDS))
        .isEqualTo("len " + big.length + " " + Arrays.hashCode(big));
    // The write future completes just before the buffer drains, so wait for the last event.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!echo.session.isWritable() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(echo.writability)
        .as("a 3 MiB write crosses the high-water mark and back")
        .contains(false)
        .endsWith(true);
  }

  @Test
  void pingMeasuresARoundTripAndKeepAliveHoldsAQuietSessionOpen() throws Exception {
    // Short enough to exercise the timers in a second, long enough that a loaded CI machine
    // does not miss a Pong by a scheduling hiccup.
    RlpxHost server =
        listening(
            config()
                .pingInterval(Duration.ofMillis(100))
                .idleTimeout(Duration.ofMillis(500))
                .subprotocol(ECHO, Echo::new)
                .build());
    RlpxHost client =
        host(
            config()
                .pingInterval(Duration.ofMillis(100))
                .idleTimeout(Duration.ofMillis(500))
                .subprotocol(ECHO, Echo::new)
                .build());
    Connection c = await(client.dial(server.localEnode().orElseThrow()));

    Duration rtt = await(c.ping());
    assertThat(rtt).isPositive().isLessThan(Duration.ofSeconds(WAIT_SECONDS));
    // Three idle timeouts without application traffic: only pings and pongs keep it alive.
    Thread.sleep(1500);
    assertThat(c.isOpen()).isTrue();
    assertThat(disconnects.lines()).isEmpty();
  }

  @Test
  void disconnectReachesThePeerWithItsReason() throws Exception {
    CompletableFuture<Echo> serverEcho = new CompletableFuture<>();
    RlpxHost server =
        listening(
            config()
                .subprotocol(
                    ECHO,
                    s -> {
                      Echo e = new Echo(s);
                      serverEcho.complete(e);
                      return e;
                    })
                .build());
    RlpxHost client = host(config().subprotocol(ECHO, Echo::new).build());
    Connection c = await(client.dial(server.localEnode().orElseThrow()));

    Disconnection ours = await(c.disconnect(DisconnectReason.TOO_MANY_PEERS));
    assertThat(ours.reason()).isEqualTo(DisconnectReason.TOO_MANY_PEERS);
    assertThat(ours.byRemote()).isFalse();
    assertThat(await(await(serverEcho).disconnected)).isEqualTo("TOO_MANY_PEERS by remote");
    disconnects.await(
        l -> l.contains("reason=TOO_MANY_PEERS (0x04) byRemote=true"),
        Duration.ofSeconds(WAIT_SECONDS));
    disconnects.await(
        l ->
            l.contains("reason=TOO_MANY_PEERS (0x04) byRemote=false")
                && l.contains("peer=" + server.localId().shortHex()),
        Duration.ofSeconds(WAIT_SECONDS));
    // The host forgets a connection from the channel's close listener, which may run just
    // after the disconnect future completes: wait for it, within a bound.
    long deadline = System.nanoTime() + Duration.ofSeconds(WAIT_SECONDS).toNanos();
    while (!client.connections().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(client.connections()).isEmpty();
  }

  @Test
  void closingAHostTellsItsPeersItIsQuitting() throws Exception {
    CompletableFuture<Echo> serverEcho = new CompletableFuture<>();
    RlpxHost server =
        listening(
            config()
                .subprotocol(
                    ECHO,
                    s -> {
                      Echo e = new Echo(s);
                      serverEcho.complete(e);
                      return e;
                    })
                .build());
    RlpxHost client = host(config().subprotocol(ECHO, Echo::new).build());
    await(client.dial(server.localEnode().orElseThrow()));
    client.close();
    assertThat(await(await(serverEcho).disconnected)).isEqualTo("CLIENT_QUITTING by remote");
    assertThat(client.dial(server.localEnode().get())).isCompletedExceptionally();
  }

  @Test
  void peersWithNothingInCommonPartAsUseless() throws Exception {
    RlpxHost server = listening(config().subprotocol(ECHO, Echo::new).build());
    RlpxHost client = host(config().subprotocol(new Capability("echo", 2, 2), Echo::new).build());
    assertThatThrownBy(() -> await(client.dial(server.localEnode().orElseThrow())))
        .hasCauseInstanceOf(DisconnectedException.class)
        .hasMessageContaining("USELESS_PEER");
  }

  @Test
  void dialingOurselvesIsRefused() throws Exception {
    RlpxHost server = listening(config().subprotocol(ECHO, Echo::new).build());
    assertThatThrownBy(() -> await(server.dial(server.localEnode().orElseThrow())))
        .hasCauseInstanceOf(DisconnectedException.class)
        .hasMessageContaining("SELF_CONNECTION");
  }

  @Test
  void dialingAnAddressWithTheWrongNodeIdFailsTheHandshake() throws Exception {
    RlpxHost server = listening(config().subprotocol(ECHO, Echo::new).build());
    RlpxHost client = host(config().subprotocol(ECHO, Echo::new).build());
    Enode real = server.localEnode().orElseThrow();
    Enode wrong = new Enode(NodeKey.generate().id(), real.host(), real.tcpPort());
    assertThatThrownBy(() -> await(client.dial(wrong)))
        .hasCauseInstanceOf(DisconnectedException.class)
        .hasMessageContaining("closed during the handshake");
    disconnects.await(l -> l.contains("cannot decrypt auth"), Duration.ofSeconds(WAIT_SECONDS));
  }

  @Test
  void dialingAClosedPortFailsWithTheConnectError() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    RlpxHost client = host(config().build());
    CompletableFuture<Connection> f =
        client.dial(new Enode(NodeKey.generate().id(), "127.0.0.1", port));
    assertThatThrownBy(() -> await(f)).hasCauseInstanceOf(ConnectException.class);
  }

  @Test
  void manyConcurrentSendersKeepPerThreadOrder() throws Exception {
    RlpxHost server = listening(config().subprotocol(ECHO, Echo::new).build());
    CompletableFuture<Echo> clientEcho = new CompletableFuture<>();
    RlpxHost client =
        host(
            config()
                .subprotocol(
                    ECHO,
                    s -> {
                      Echo e = new Echo(s);
                      clientEcho.complete(e);
                      return e;
                    })
                .build());
    await(client.dial(server.localEnode().orElseThrow()));
    Echo echo = await(clientEcho);
    int threads = 4;
    int perThread = 100;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> senders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread th =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < perThread; i++) {
                  echo.session.send(0, (id + ":" + i).getBytes());
                }
              });
      th.start();
      senders.add(th);
    }
    go.countDown();
    for (Thread th : senders) {
      th.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    }
    int[] next = new int[threads];
    for (int n = 0; n < threads * perThread; n++) {
      String[] m = echo.received.poll(WAIT_SECONDS, TimeUnit.SECONDS).split(":");
      int t = Integer.parseInt(m[0]);
      assertThat(Integer.parseInt(m[1])).isEqualTo(next[t]++);
    }
    assertThat(Collections.min(Arrays.stream(next).boxed().toList())).isEqualTo(perThread);
  }

  @Test
  void aHostListensOnce() throws IOException {
    RlpxHost server = listening(config().build());
    assertThat(server.listen(new InetSocketAddress("127.0.0.1", 0)))
        .failsWithin(Duration.ofSeconds(1))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withMessageContaining("already listening");
    assertThat(server.localEnode()).isPresent();
    assertThat(host(config().build()).localEnode()).isEmpty();
  }
}
