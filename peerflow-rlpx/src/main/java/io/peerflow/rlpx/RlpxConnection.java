package io.peerflow.rlpx;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link Connection} and {@link ProtocolSession}s of one established session, over its channel
 * and {@link SessionHandler}.
 *
 * <p>Thread-safe: the fields are fixed at construction (on the event loop, before the object is
 * published through the established future or a handler factory); actions go through Netty's
 * thread-safe channel writes or the session handler's event-loop hops.
 */
final class RlpxConnection implements Connection {

  private final SessionHandler handler;
  private final Channel channel;
  private final NodeId remoteId;
  private final String clientId;
  private final long protocolVersion;
  private final List<String> remoteCapabilities;
  private final List<Capability> shared;
  private final boolean initiator;
  private final int maxMessageSize;
  private final Map<CapabilityNegotiation.Shared, Session> sessions = new HashMap<>();

  RlpxConnection(
      SessionHandler handler,
      Channel channel,
      NodeId remoteId,
      Hello hello,
      List<CapabilityNegotiation.Shared> shared,
      boolean initiator,
      int maxMessageSize) {
    this.handler = handler;
    this.channel = channel;
    this.remoteId = remoteId;
    this.clientId = hello.clientId();
    this.protocolVersion = hello.protocolVersion();
    this.remoteCapabilities =
        hello.capabilities().stream().map(c -> c.name() + "/" + c.version()).toList();
    this.shared = shared.stream().map(CapabilityNegotiation.Shared::capability).toList();
    this.initiator = initiator;
    this.maxMessageSize = maxMessageSize;
    for (CapabilityNegotiation.Shared s : shared) {
      sessions.put(s, new Session(s));
    }
  }

  ProtocolSession session(CapabilityNegotiation.Shared shared) {
    return sessions.get(shared);
  }

  @Override
  public NodeId remoteId() {
    return remoteId;
  }

  @Override
  public String remoteClientId() {
    return clientId;
  }

  @Override
  public long remoteProtocolVersion() {
    return protocolVersion;
  }

  @Override
  public List<String> remoteCapabilities() {
    return remoteCapabilities;
  }

  @Override
  public List<Capability> sharedCapabilities() {
    return shared;
  }

  @Override
  public InetSocketAddress remoteAddress() {
    // Null only on test channels that are not sockets.
    return channel.remoteAddress() instanceof InetSocketAddress a ? a : null;
  }

  @Override
  public boolean isInitiator() {
    return initiator;
  }

  @Override
  public boolean isOpen() {
    return handler.isActive();
  }

  @Override
  public boolean isWritable() {
    return channel.isWritable();
  }

  @Override
  public CompletableFuture<Disconnection> disconnect(DisconnectReason reason) {
    if (reason == DisconnectReason.UNKNOWN) {
      throw new IllegalArgumentException("UNKNOWN is not a reason that can be sent");
    }
    return disconnect(reason, "disconnect requested by this node");
  }

  @Override
  public CompletableFuture<Disconnection> disconnect(DisconnectReason reason, String detail) {
    if (reason == DisconnectReason.UNKNOWN) {
      throw new IllegalArgumentException("UNKNOWN is not a reason that can be sent");
    }
    return handler.requestDisconnect(reason, detail);
  }

  @Override
  public CompletableFuture<Duration> ping() {
    return handler.requestPing();
  }

  @Override
  public CompletableFuture<Disconnection> closeFuture() {
    return handler.closeFuture();
  }

  @Override
  public String toString() {
    return "Connection["
        + remoteId.shortHex()
        + "@"
        + channel.remoteAddress()
        + ", "
        + clientId
        + ", "
        + shared
        + "]";
  }

  /** One capability's view. */
  private final class Session implements ProtocolSession {
    private final CapabilityNegotiation.Shared shared;

    Session(CapabilityNegotiation.Shared shared) {
      this.shared = shared;
    }

    @Override
    public Connection connection() {
      return RlpxConnection.this;
    }

    @Override
    public Capability capability() {
      return shared.capability();
    }

    @Override
    public CompletableFuture<Void> send(int code, byte[] rlpPayload) {
      int space = shared.capability().messageSpaceLength();
      if (code < 0 || code >= space) {
        throw new IllegalArgumentException(
            "code " + code + " outside " + shared.capability() + "'s 0.." + (space - 1));
      }
      if (rlpPayload.length > maxMessageSize) {
        throw new IllegalArgumentException(
            "payload of "
                + rlpPayload.length
                + " bytes above the "
                + maxMessageSize
                + "-byte limit");
      }
      CompletableFuture<Void> result = new CompletableFuture<>();
      ChannelFuture f = channel.writeAndFlush(new RlpxMessage(shared.offset() + code, rlpPayload));
      f.addListener(
          w -> {
            if (w.isSuccess()) {
              result.complete(null);
            } else {
              result.completeExceptionally(w.cause());
            }
          });
      return result;
    }

    @Override
    public String toString() {
      return shared.capability() + " on " + RlpxConnection.this;
    }
  }
}
