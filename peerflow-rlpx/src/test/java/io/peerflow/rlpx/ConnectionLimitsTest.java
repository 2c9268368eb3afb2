package io.peerflow.rlpx;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {

  static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  static final InetAddress A = ip("127.0.0.2");
  static final InetAddress B = ip("127.0.0.3");

  @Test
  void handshakesInProgressAreBoundedAndASlotFreesWhenOneEnds() {
    ConnectionLimits l = new ConnectionLimits(new RlpxConfig.Limits(50, 50, 50, 2));
    assertThat(l.admitInbound(A)).isNull();
    assertThat(l.admitInbound(B)).isNull();
    assertThat(l.admitInbound(A)).isEqualTo("handshakes in progress at the limit (2)");
    l.inboundClosed(A, false);
    assertThat(l.admitInbound(A)).isNull();
    assertThat(l.inboundEstablished()).isNull();
    assertThat(l.pendingInbound()).isEqualTo(1);
    assertThat(l.admitInbound(B)).isNull();
  }

  @Test
  void oneAddressGetsAtMostItsShareAndOthersStillGetIn() {
    ConnectionLimits l = new ConnectionLimits(new RlpxConfig.Limits(50, 50, 2, 16));
    assertThat(l.admitInbound(A)).isNull();
    assertThat(l.admitInbound(A)).isNull();
    assertThat(l.admitInbound(A)).isEqualTo("connections from 127.0.0.2 at the limit (2)");
    assertThat(l.admitInbound(B)).isNull();
    l.inboundClosed(A, false);
    assertThat(l.admitInbound(A)).isNull();
  }

  @Test
  void inboundAndOutboundAreCountedApart() {
    ConnectionLimits l = new ConnectionLimits(new RlpxConfig.Limits(1, 1, 8, 16));
    assertThat(l.admitOutbound()).isNull();
    assertThat(l.admitOutbound()).isEqualTo("outbound peers at the limit (1)");
    assertThat(l.admitInbound(A)).isNull();
    assertThat(l.inboundEstablished()).isNull();
    assertThat(l.admitInbound(B)).isNull();
    assertThat(l.inboundEstablished()).isEqualTo("inbound peers at the limit (1)");
    l.inboundClosed(B, false);
    l.outboundClosed();
    assertThat(l.admitOutbound()).isNull();
    l.inboundClosed(A, true);
    assertThat(l.admitInbound(B)).isNull();
    assertThat(l.inboundEstablished()).isNull();
  }

  @Test
  void aPeerThatFinishesItsHandshakeAfterTheSlotsFilledIsRefusedAndReleasedAsPending() {
    ConnectionLimits l = new ConnectionLimits(new RlpxConfig.Limits(1, 1, 8, 16));
    assertThat(l.admitInbound(A)).isNull();
    assertThat(l.admitInbound(B)).isNull();
    assertThat(l.inboundEstablished()).isNull();
    assertThat(l.inboundEstablished()).isEqualTo("inbound peers at the limit (1)");
    l.inboundClosed(B, false);
    assertThat(l.pendingInbound()).isZero();
    assertThat(l.establishedInbound()).isEqualTo(1);
  }
}
