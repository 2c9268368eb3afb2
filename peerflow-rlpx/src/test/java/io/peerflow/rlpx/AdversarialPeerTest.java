package io.peerflow.rlpx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real host on loopback against a raw peer that misbehaves. Every case must end with the host
 * closing the connection, within a bound set by short configured timeouts, with a reason in its
 * disconnect log line, and with no exception reaching the end of Netty's pipeline.
 */
class AdversarialPeerTest {

  /** Generous next to the 300 ms handshake timeout and 100 ms linger, tight next to "hung". */
  private static final Duration BOUND = Duration.ofSeconds(3);

  private static final Capability ECHO = new Capability("echo", 1, 2);

  private final AtomicInteger messages = new AtomicInteger();
  private RlpxHost host;
  private InetSocketAddress address;
  private LogCapture disconnects;
  private LogCapture nettyWarnings;

  @BeforeEach
  void start() {
    disconnects = LogCapture.disconnects();
    nettyWarnings = LogCapture.nettyWarnings();
    startHost(RlpxConfig.DEFAULT_MAX_MESSAGE_SIZE);
  }

  private void startHost(int maxMessageSize) {
    if (host != null) {
      host.close();
    }
    host =
        RlpxHost.start(
            RlpxConfig.builder(NodeKey.generate(HandshakePair.RANDOM))
                .handshakeTimeout(Duration.ofMillis(300))
                .disconnectLinger(Duration.ofMillis(100))
                .maxMessageSize(maxMessageSize)
                .eventLoopThreads(1)
                .subprotocol(
                    ECHO,
                    s ->
                        new ProtocolHandler() {
                          @Override
                          public void onMessage(int code, byte[] payload) {
                            messages.incrementAndGet();
                          }

                          @Override
                          public void onDisconnect(
                              DisconnectReason reason, boolean byRemote, String detail) {}
                        })
                .build());
    address = host.listen(new InetSocketAddress("127.0.0.1", 0)).join();
  }

  @AfterEach
  void stop() {
    host.close();
    assertThat(nettyWarnings.lines()).as("exceptions escaping the pipeline").isEmpty();
    disconnects.close();
    nettyWarnings.close();
  }

  private RawPeer connect() throws IOException {
    return new RawPeer(address);
  }

  private RawPeer established() throws IOException {
    RawPeer p = connect().handshake(host.localId());
    p.readHello();
    p.sendHello(List.of(new Hello.Cap("echo", 1)));
    return p;
  }

  /** Waits for the server's close, checks the bound, and returns the logged line. */
  private String assertClosedWithLogLine(RawPeer p, String reasonAndDetail)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    p.awaitClose();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
    return disconnects.await(l -> l.contains(reasonAndDetail), BOUND);
  }

  @Test
  void garbageWithATooSmallSizePrefixIsDroppedAtOnce() throws Exception {
    try (RawPeer p = connect()) {
      byte[] garbage = new byte[600];
      HandshakePair.RANDOM.nextBytes(garbage);
      garbage[0] = 0x00;
      garbage[1] = 0x10;
      p.sendRaw(garbage);
      assertClosedWithLogLine(p, "reason=PROTOCOL_ERROR (0x02)");
      assertThat(disconnects.lines().get(0))
          .contains("handshake packet size 16 is too small")
          .contains("state=HANDSHAKE")
          .contains("peer=unknown");
    }
  }

  @Test
  void garbageOfAPlausibleSizeFailsDecryption() throws Exception {
    try (RawPeer p = connect()) {
      byte[] garbage = new byte[2 + 400];
      HandshakePair.RANDOM.nextBytes(garbage);
      garbage[0] = 0x01;
      garbage[1] = (byte) 0x90;
      p.sendRaw(garbage);
      assertClosedWithLogLine(p, "cannot decrypt auth");
    }
  }

  @Test
  void aPeerThatNeverSendsIsDroppedAtTheHandshakeTimeout() throws Exception {
    try (RawPeer p = connect()) {
      assertClosedWithLogLine(p, "reason=PING_TIMEOUT (0x0b)");
      assertThat(disconnects.lines().get(0)).contains("handshake timeout: no Hello within 300 ms");
    }
  }

  @Test
  void aPeerThatCompletesTheCryptoHandshakeButSendsNoHelloGetsDisconnect() throws Exception {
    try (RawPeer p = connect().handshake(host.localId())) {
      assertThat(p.readHello().protocolVersion()).isEqualTo(5);
      assertClosedWithLogLine(p, "handshake timeout");
      assertThat(disconnects.lines().get(0)).contains("state=AWAITING_HELLO");
    }
  }

  @Test
  void aWrongHeaderMacEndsTheSessionWithProtocolError() throws Exception {
    try (RawPeer p = established()) {
      byte[] frame = p.seal(new byte[] {0x10, (byte) 0xc0});
      frame[16] ^= 0x01; // first byte of the header MAC
      p.sendRaw(frame);
      assertThat(p.awaitClose()).isEqualTo(DisconnectReason.PROTOCOL_ERROR);
      disconnects.await(l -> l.contains("frame header MAC mismatch"), BOUND);
    }
  }

  @Test
  void corruptedFrameBytesEndTheSessionWithProtocolError() throws Exception {
    try (RawPeer p = established()) {
      byte[] frame = p.seal(new byte[] {0x10, (byte) 0xc3, 1, 2, 3});
      frame[33] ^= 0x40; // inside the frame ciphertext
      p.sendRaw(frame);
      assertThat(p.awaitClose()).isEqualTo(DisconnectReason.PROTOCOL_ERROR);
      disconnects.await(
          l -> l.contains("reason=PROTOCOL_ERROR") && l.contains("frame MAC mismatch"), BOUND);
    }
  }

  @Test
  void aCompressedMessageClaimingMoreThan16MiBIsRefusedBeforeDecompression() throws Exception {
    try (RawPeer p = established()) {
      // Message id 0x10, then a Snappy length header of 32 MiB and a few bytes: ~10 bytes
      // on the wire that would cost 32 MiB if believed.
      int claimed = 32 << 20;
      byte[] data = {
        0x10,
        (byte) (0x80 | (claimed & 0x7f)),
        (byte) (0x80 | ((claimed >>> 7) & 0x7f)),
        (byte) (0x80 | ((claimed >>> 14) & 0x7f)),
        (byte) (claimed >>> 21),
        0x00,
        0x00
      };
      p.sendFrameData(data);
      assertThat(p.awaitClose()).isEqualTo(DisconnectReason.PROTOCOL_ERROR);
      disconnects.await(l -> l.contains("declares 33554432 bytes uncompressed"), BOUND);
      assertThat(messages).hasValue(0);
    }
  }

  @Test
  void aFrameAboveTheLimitIsRefusedFromItsHeader() throws Exception {
    startHost(64 * 1024);
    try (RawPeer p = established()) {
      byte[] frame = p.seal(new byte[100 * 1024]);
      p.sendRaw(java.util.Arrays.copyOf(frame, 32)); // the header alone is enough
      assertThat(p.awaitClose()).isEqualTo(DisconnectReason.PROTOCOL_ERROR);
      disconnects.await(l -> l.contains("frame of 102400 bytes above the 65536-byte limit"), BOUND);
    }
  }

  @Test
  void malformedRlpInHelloIsAProtocolError() throws Exception {
    try (RawPeer p = connect().handshake(host.localId())) {
      p.readHello();
      p.sendFrameData(new byte[] {(byte) 0x80, (byte) 0xf8, 0x40, 0x01}); // Hello, truncated list
      assertThat(p.awaitClose()).isNotNull();
      disconnects.await(
          l -> l.contains("reason=PROTOCOL_ERROR") && l.contains("malformed RLP"), BOUND);
    }
  }

  @Test
  void aSubprotocolMessageBeforeHelloIsAProtocolError() throws Exception {
    try (RawPeer p = connect().handshake(host.localId())) {
      p.readHello();
      p.sendFrameData(new byte[] {0x10, (byte) 0xc0});
      assertThat(p.awaitClose()).isNotNull();
      disconnects.await(l -> l.contains("message 0x10 before Hello"), BOUND);
    }
  }

  @Test
  void aLegacyHandshakeIsAcceptedAndTheSessionWorks() throws Exception {
    try (RawPeer p = connect().legacyHandshake(host.localId())) {
      p.readHello();
      p.sendHello(List.of(new Hello.Cap("echo", 1)));
      p.send(0x10, new byte[] {(byte) 0xc0});
      p.send(BaseProtocol.PING, BaseProtocol.EMPTY_LIST);
      assertThat(p.read().code()).isEqualTo(BaseProtocol.PONG);
      assertThat(messages).hasValue(1);
      p.send(BaseProtocol.DISCONNECT, BaseProtocol.encodeDisconnect(DisconnectReason.REQUESTED));
      assertThat(p.awaitClose()).isNull();
      disconnects.await(l -> l.contains("reason=REQUESTED (0x00) byRemote=true"), BOUND);
    }
  }

  @Test
  void aPeerThatJustClosesIsLoggedAsTcpError() throws Exception {
    RawPeer p = established();
    p.send(BaseProtocol.PING, BaseProtocol.EMPTY_LIST);
    assertThat(p.read().code()).isEqualTo(BaseProtocol.PONG);
    p.close();
    disconnects.await(l -> l.contains("reason=TCP_ERROR (0x01) byRemote=true"), BOUND);
  }
}
