package io.peerflow.eth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.peerflow.chain.block.BlockHeader;
import io.peerflow.eth.forkid.ForkSchedule;
import io.peerflow.eth.wire.EthMessages;
import io.peerflow.eth.wire.Status;
import io.peerflow.rlpx.Capability;
import io.peerflow.rlpx.DisconnectReason;
import io.peerflow.rlpx.NodeKey;
import io.peerflow.rlpx.ProtocolHandler;
import io.peerflow.rlpx.ProtocolSession;
import io.peerflow.rlpx.RlpxConfig;
import io.peerflow.rlpx.RlpxHost;
import io.peerflow.testchain.MemoryChain;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Peers that complete the handshake and then break the eth protocol: each must end in a disconnect
 * with a reason and a log line, with every pending request completed, never an exception escaping
 * or a hung future.
 */
class MisbehavingPeerTest {

  static MemoryChain chain;
  RlpxHost evil;
  EthNode ours;
  ListAppender<ILoggingEvent> log;
  final CompletableFuture<DisconnectReason> evilSaw = new CompletableFuture<>();
  volatile boolean unsolicited;

  @BeforeAll
  static void data() {
    chain = MemoryChain.generate(4250, 300, 2, 100);
  }

  @BeforeEach
  void capture() {
    log = new ListAppender<>();
    log.start();
    ((Logger) LoggerFactory.getLogger("io.peerflow.eth")).addAppender(log);
  }

  @AfterEach
  void stop() {
    ((Logger) LoggerFactory.getLogger("io.peerflow.eth")).detachAppender(log);
    if (ours != null) {
      ours.close();
    }
    if (evil != null) {
      evil.close();
    }
  }

  /**
   * An eth/69 peer that sends a correct Status, then answers every message with {@code behaviour}.
   */
  EthPeer connectTo(BiConsumer<ProtocolSession, byte[]> behaviour, int maxMessageSize) {
    ForkSchedule fs = ForkSchedule.of(chain.config());
    BlockHeader head = chain.head();
    Status status =
        new Status(
            69,
            chain.config().networkId(),
            BigInteger.ZERO,
            head.hash(),
            chain.config().genesisHash(),
            fs.forkId(head.number(), head.timestamp()),
            0,
            head.number());
    evil =
        RlpxHost.start(
            RlpxConfig.builder(NodeKey.generate())
                .clientId("evil")
                .maxMessageSize(maxMessageSize)
                .subprotocol(
                    new Capability("eth", 69, EthMessages.messageSpace(69)),
                    session -> {
                      session.send(EthMessages.STATUS, status.encode());
                      if (unsolicited) {
                        session.send(
                            EthMessages.BLOCK_HEADERS, EthMessages.blockHeaders(7, List.of()));
                      }
                      return new ProtocolHandler() {
                        @Override
                        public void onMessage(int code, byte[] payload) {
                          if (code != EthMessages.STATUS) {
                            behaviour.accept(session, payload);
                          }
                        }

                        @Override
                        public void onDisconnect(
                            DisconnectReason reason, boolean byRemote, String detail) {
                          evilSaw.complete(reason);
                        }
                      };
                    })
                .build());
    InetSocketAddress at = evil.listen(new InetSocketAddress("127.0.0.1", 0)).join();
    ours =
        EthNode.start(
            EthNodeConfig.builder(NodeKey.generate(), chain.config())
                .versions(List.of(69))
                .build());
    return ours.dial(evil.localEnode().orElseThrow()).orTimeout(10, TimeUnit.SECONDS).join();
  }

  void assertDisconnectedWithReasonAndLogLine(String logged) throws Exception {
    assertThat(evilSaw.get(10, TimeUnit.SECONDS)).isEqualTo(DisconnectReason.PROTOCOL_ERROR);
    List<String> lines = new ArrayList<>();
    log.list.forEach(e -> lines.add(e.getFormattedMessage()));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("Disconnecting").contains(logged));
  }

  static long id(byte[] request) {
    return EthMessages.requestId(request);
  }

  @Test
  void anUnsolicitedAnswerEndsTheSession() throws Exception {
    unsolicited = true;
    EthPeer p = connectTo((s, payload) -> {}, RlpxConfig.DEFAULT_MAX_MESSAGE_SIZE);
    assertDisconnectedWithReasonAndLogLine("unsolicited answer");
    assertThat(p.closeFuture().get(10, TimeUnit.SECONDS)).contains("unsolicited");
  }

  @Test
  void anAnswerWithAnIdThatWasNeverAskedIsABreach() throws Exception {
    EthPeer p =
        connectTo(
            (s, payload) ->
                s.send(
                    EthMessages.BLOCK_HEADERS,
                    EthMessages.blockHeaders(id(payload) + 1000, List.of())),
            RlpxConfig.DEFAULT_MAX_MESSAGE_SIZE);
    CompletableFuture<?> f = p.requestHeadersByNumber(1, 1, 0, false);
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(EthException.class);
    assertDisconnectedWithReasonAndLogLine("unsolicited answer");
  }

  @Test
  void anAnswerOfTheWrongKindIsABreach() throws Exception {
    EthPeer p =
        connectTo(
            (s, payload) ->
                s.send(EthMessages.BLOCK_BODIES, EthMessages.blockBodies(id(payload), List.of())),
            RlpxConfig.DEFAULT_MAX_MESSAGE_SIZE);
    CompletableFuture<?> f = p.requestHeadersByNumber(1, 1, 0, false);
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(EthException.class);
    assertDisconnectedWithReasonAndLogLine("to a request expecting");
  }

  @Test
  void moreHeadersThanAskedIsABreach() throws Exception {
    List<byte[]> five = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      five.add(chain.block(i).header().rlp());
    }
    EthPeer p =
        connectTo(
            (s, payload) ->
                s.send(EthMessages.BLOCK_HEADERS, EthMessages.blockHeaders(id(payload), five)),
            RlpxConfig.DEFAULT_MAX_MESSAGE_SIZE);
    CompletableFuture<?> f = p.requestHeadersByNumber(1, 2, 0, false);
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(EthException.class);
    assertDisconnectedWithReasonAndLogLine("more than the 2 headers asked for");
  }

  @Test
  void malformedRlpInAnAnswerIsABreach() throws Exception {
    EthPeer p =
        connectTo(
            (s, payload) -> {
              byte[] ok =
                  EthMessages.blockHeaders(id(payload), List.of(chain.block(1).header().rlp()));
              // Cut the last byte off: the list header now claims more than follows.
              s.send(EthMessages.BLOCK_HEADERS, java.util.Arrays.copyOf(ok, ok.length - 1));
            },
            RlpxConfig.DEFAULT_MAX_MESSAGE_SIZE);
    CompletableFuture<?> f = p.requestHeadersByNumber(1, 1, 0, false);
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(EthException.class);
    assertDisconnectedWithReasonAndLogLine("malformed message");
  }

  @Test
  void aSecondStatusIsABreach() throws Exception {
    EthPeer p =
        connectTo(
            (s, payload) -> s.send(EthMessages.STATUS, payload),
            RlpxConfig.DEFAULT_MAX_MESSAGE_SIZE);
    CompletableFuture<?> f = p.requestHeadersByNumber(1, 1, 0, false);
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(EthException.class);
    assertDisconnectedWithReasonAndLogLine("a second Status");
  }
}
