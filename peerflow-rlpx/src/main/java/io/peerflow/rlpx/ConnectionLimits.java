package io.peerflow.rlpx;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * How many connections a host holds, counted as clients do: inbound and outbound apart (so that
 * peers dialling in cannot take the slots a node needs to dial out, nor the reverse), inbound ones
 * also per remote IP, and inbound handshakes in progress on their own, since each costs an ECDH and
 * ECIES work before the peer has proved anything. A connection over a limit is closed before any of
 * that work (inbound, at accept), or refused with {@link DisconnectReason#TOO_MANY_PEERS} once its
 * session is up (a peer past the established limit), or not dialled (outbound).
 *
 * <p>Thread-safe: every count is guarded by {@code this}; calls are short.
 */
final class ConnectionLimits {

  private final RlpxConfig.Limits limits;
  private final Map<InetAddress, Integer> perIp = new HashMap<>();
  private int pendingInbound;
  private int establishedInbound;
  private int outbound;

  ConnectionLimits(RlpxConfig.Limits limits) {
    this.limits = limits;
  }

  /**
   * Admits a just-accepted socket from {@code ip} to the handshake, or says why not; the caller
   * then owes one {@link #inboundClosed} when an admitted one closes.
   */
  synchronized String admitInbound(InetAddress ip) {
    if (pendingInbound >= limits.maxPendingHandshakes()) {
      return "handshakes in progress at the limit (" + limits.maxPendingHandshakes() + ")";
    }
    int fromIp = perIp.getOrDefault(ip, 0);
    if (fromIp >= limits.maxPeersPerIp()) {
      return "connections from "
          + ip.getHostAddress()
          + " at the limit ("
          + limits.maxPeersPerIp()
          + ")";
    }
    perIp.put(ip, fromIp + 1);
    pendingInbound++;
    return null;
  }

  /**
   * An admitted inbound connection finished its handshake; returns why it must be refused (the
   * established limit filled while it shook hands), or null when it takes a slot.
   */
  synchronized String inboundEstablished() {
    pendingInbound--;
    if (establishedInbound >= limits.maxInboundPeers()) {
      pendingInbound++; // still counted as not established until it closes
      return "inbound peers at the limit (" + limits.maxInboundPeers() + ")";
    }
    establishedInbound++;
    return null;
  }

  /** An admitted inbound connection closed, established or not. */
  synchronized void inboundClosed(InetAddress ip, boolean established) {
    if (established) {
      establishedInbound--;
    } else {
      pendingInbound--;
    }
    perIp.computeIfPresent(ip, (k, n) -> n <= 1 ? null : n - 1);
  }

  /**
   * Takes an outbound slot for a dial, or says why there is none; release with {@link
   * #outboundClosed}.
   */
  synchronized String admitOutbound() {
    if (outbound >= limits.maxOutboundPeers()) {
      return "outbound peers at the limit (" + limits.maxOutboundPeers() + ")";
    }
    outbound++;
    return null;
  }

  /** An outbound connection (or a dial that failed) gave its slot back. */
  synchronized void outboundClosed() {
    outbound--;
  }

  /** Inbound handshakes in progress now. */
  synchronized int pendingInbound() {
    return pendingInbound;
  }

  /** Established inbound connections now. */
  synchronized int establishedInbound() {
    return establishedInbound;
  }
}
