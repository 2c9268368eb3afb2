package io.peerflow.eth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.peerflow.chain.Hash;
import io.peerflow.rlpx.Enode;
import io.peerflow.rlpx.NodeKey;
import io.peerflow.testchain.MemoryChain;
import io.peerflow.testkit.FaultyLink;
import io.peerflow.testkit.FaultyLink.Direction;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Our downloading node and our serving node over loopback, with the encrypted stream between them
 * damaged in flight or an answer too large for the downloader: each case ends in a disconnect with
 * a reason on both sides, a log line naming what happened, the pending request failed with that
 * reason, and no exception escaping Netty's pipeline or connection left hung.
 */
class DamagedTrafficTest {

  /** Far above what loopback needs, far below the 150 s a forgotten request would wait. */
  static final Duration BOUND = Duration.ofSeconds(10);

  // An answer frame on the wire: 16 bytes of header, 16 of header MAC, then the frame data.
  static final int HEADER_MAC_BYTE = 20;
  static final int FRAME_DATA_BYTE = 40;

  static MemoryChain chain;
  final List<EthNode> nodes = new ArrayList<>();
  final List<AutoCloseable> links = new ArrayList<>();
  FaultyLink link;
  final ListAppender<ILoggingEvent> disconnects = new ListAppender<>();
  final ListAppender<ILoggingEvent> nettyWarnings = new ListAppender<>();
  final List<Runnable> restoreLevels = new ArrayList<>();

  @BeforeAll
  static void data() {
    chain = MemoryChain.generate(4245, 300, 2, 200);
  }

  @BeforeEach
  void capture() {
    attach("io.peerflow.rlpx.disconnect", Level.INFO, disconnects);
    attach("io.netty", Level.WARN, nettyWarnings);
  }

  @AfterEach
  void stop() throws Exception {
    nodes.forEach(EthNode::close);
    for (AutoCloseable l : links) {
      l.close();
    }
    ((Logger) LoggerFactory.getLogger("io.peerflow.rlpx.disconnect")).detachAppender(disconnects);
    ((Logger) LoggerFactory.getLogger("io.netty")).detachAppender(nettyWarnings);
    restoreLevels.forEach(Runnable::run);
    assertThat(lines(nettyWarnings)).as("exceptions escaping the pipeline").isEmpty();
  }

  void attach(String name, Level level, ListAppender<ILoggingEvent> appender) {
    Logger logger = (Logger) LoggerFactory.getLogger(name);
    Level previous = logger.getLevel();
    restoreLevels.add(() -> logger.setLevel(previous));
    logger.setLevel(level);
    appender.start();
    logger.addAppender(appender);
  }

  static List<String> lines(ListAppender<ILoggingEvent> appender) {
    // ListAppender appends under its own monitor; read under the same one.
    synchronized (appender) {
      return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  String awaitLogLine(Predicate<String> p) throws InterruptedException {
    long end = System.nanoTime() + BOUND.toNanos();
    while (System.nanoTime() < end) {
      for (String l : lines(disconnects)) {
        if (p.test(l)) {
          return l;
        }
      }
      Thread.sleep(5);
    }
    throw new AssertionError(
        "no matching disconnect line within " + BOUND + "; got " + lines(disconnects));
  }

  EthNode server(MemoryChain c) {
    EthNode n =
        EthNode.start(
            EthNodeConfig.builder(NodeKey.generate(), c.config())
                .source(c)
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .build());
    nodes.add(n);
    return n;
  }

  EthNode client(MemoryChain c, int maxMessageSize) {
    EthNode n =
        EthNode.start(
            EthNodeConfig.builder(NodeKey.generate(), c.config())
                .maxMessageSize(maxMessageSize)
                .build());
    nodes.add(n);
    return n;
  }

  /** A client connected to a server through {@link #link}, which can damage the stream. */
  EthPeer connectThroughLink() {
    Enode s = server(chain).enode().orElseThrow();
    link = new FaultyLink(s.tcpAddress());
    links.add(link);
    Enode viaLink = new Enode(s.id(), "127.0.0.1", link.port());
    return client(chain, 16 << 20)
        .dial(viaLink)
        .orTimeout(BOUND.toSeconds(), TimeUnit.SECONDS)
        .join();
  }

  static String failure(CompletableFuture<?> request) {
    Throwable t =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> request.orTimeout(BOUND.toSeconds(), TimeUnit.SECONDS).join());
    assertThat(t).isInstanceOf(CompletionException.class).hasCauseInstanceOf(EthException.class);
    return t.getCause().getMessage();
  }

  /**
   * The side that found the damage logged it and ended the session with a protocol error, the other
   * side logged that with {@code otherDetail}, and the link closed: nothing hangs.
   */
  void assertEndedOnBothSides(String detected, String otherDetail) throws InterruptedException {
    awaitLogLine(
        l ->
            l.contains("reason=PROTOCOL_ERROR")
                && l.contains("byRemote=false")
                && l.contains("detail=" + detected));
    awaitLogLine(
        l ->
            l.contains("reason=PROTOCOL_ERROR")
                && l.contains("byRemote=true")
                && l.contains("detail=" + otherDetail));
    assertThat(link.awaitEnded(BOUND)).as("connection closed").isTrue();
  }

  @Test
  void aCorruptedAnswerFrameIsRefusedByItsMacAndBothSidesDisconnect() throws Exception {
    EthPeer p = connectThroughLink();
    link.corrupt(Direction.TO_DIALLER, FRAME_DATA_BYTE, 0x40);
    String why = failure(p.requestHeadersByNumber(0, 100, 0, false));

    assertThat(why).contains("breach of protocol").contains("frame MAC mismatch");
    assertThat(p.closeFuture().get(BOUND.toSeconds(), TimeUnit.SECONDS))
        .contains("frame MAC mismatch");
    assertEndedOnBothSides("frame MAC mismatch", "peer sent Disconnect");
  }

  @Test
  void aWrongHeaderMacIsRefusedBeforeTheFrameIsRead() throws Exception {
    EthPeer p = connectThroughLink();
    link.corrupt(Direction.TO_DIALLER, HEADER_MAC_BYTE, 0x01);

    assertThat(failure(p.requestHeadersByNumber(0, 100, 0, false)))
        .contains("frame header MAC mismatch");
    assertEndedOnBothSides("frame header MAC mismatch", "peer sent Disconnect");
  }

  @Test
  void aCorruptedRequestIsRefusedByTheServingSideWhichTellsTheDownloaderWhy() throws Exception {
    EthPeer p = connectThroughLink();
    link.corrupt(Direction.TO_LISTENER, FRAME_DATA_BYTE, 0x08);
    Hash h = chain.block(10).header().hash();
    String why = failure(p.requestBodies(List.of(h, h, h, h, h, h, h, h)));

    // The server found the damage and sent Disconnect; the downloader learns the reason.
    assertThat(why).startsWith("peer disconnected: breach of protocol");
    assertEndedOnBothSides("frame MAC mismatch", "peer sent Disconnect");
  }

  @Test
  void anAnswerAboveTheDownloadersMessageLimitIsRefusedBeforeItIsDecompressed() throws Exception {
    MemoryChain big = MemoryChain.generate(4246, 12, 1, 100_000);
    EthNode s = server(big);
    EthPeer p =
        client(big, 64 * 1024)
            .dial(s.enode().orElseThrow())
            .orTimeout(BOUND.toSeconds(), TimeUnit.SECONDS)
            .join();
    List<Hash> hashes = new ArrayList<>();
    for (int n = 1; n <= 5; n++) {
      hashes.add(big.block(n).header().hash());
    }
    // Five bodies of ~100 kB each: ~500 kB once decompressed, refused from the length that the
    // compressed message declares (or from its frame header, were it sent uncompressed).
    String why = failure(p.requestBodies(hashes));

    assertThat(why).contains("above the 65536-byte limit");
    awaitLogLine(
        l ->
            l.contains("reason=PROTOCOL_ERROR")
                && l.contains("byRemote=false")
                && l.contains("above the 65536-byte limit"));
    awaitLogLine(l -> l.contains("reason=PROTOCOL_ERROR") && l.contains("byRemote=true"));
  }

  @Test
  void aMessageLimitOutsideWhatTheTransportAllowsIsRefused() {
    var b = EthNodeConfig.builder(NodeKey.generate(), chain.config());
    assertThatThrownBy(() -> b.maxMessageSize(512)).hasMessageContaining("1024..16777216");
    assertThatThrownBy(() -> b.maxMessageSize(32 << 20)).hasMessageContaining("1024..16777216");
  }
}
