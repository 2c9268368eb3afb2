package io.peerflow.discovery.v4;

import io.peerflow.rlp.RlpReader;
import io.peerflow.rlp.RlpWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A node's address as discv4 packets carry it: IP, UDP port, TCP port; an immutable value.
 *
 * @param ip IPv4 or IPv6 address
 * @param udpPort discovery port, 0..65535
 * @param tcpPort RLPx port, 0..65535 (0 when not listening or unknown)
 */
public record Endpoint(InetAddress ip, int udpPort, int tcpPort) {

  /** Checks the ports. */
  public Endpoint {
    if (udpPort < 0 || udpPort > 65535 || tcpPort < 0 || tcpPort > 65535) {
      throw new IllegalArgumentException("port out of range: udp " + udpPort + ", tcp " + tcpPort);
    }
  }

  /** The UDP address to send discovery packets to. */
  public InetSocketAddress udpAddress() {
    return new InetSocketAddress(ip, udpPort);
  }

  void write(RlpWriter w) {
    w.startList().writeBytes(ip.getAddress()).writeLong(udpPort).writeLong(tcpPort).endList();
  }

  /** {@code [ip, udp, tcp, ...]}; an empty IP (some clients send one) reads as 0.0.0.0. */
  static Endpoint read(RlpReader list) {
    byte[] ip = list.readBytes();
    int udp = readPort(list);
    int tcp = readPort(list);
    return new Endpoint(address(ip), udp, tcp);
  }

  static InetAddress address(byte[] ip) {
    try {
      if (ip.length == 0) {
        return InetAddress.getByAddress(new byte[4]);
      }
      if (ip.length != 4 && ip.length != 16) {
        throw new io.peerflow.rlp.RlpException("IP address of " + ip.length + " bytes");
      }
      return InetAddress.getByAddress(ip);
    } catch (UnknownHostException e) {
      throw new io.peerflow.rlp.RlpException("bad IP address: " + e.getMessage());
    }
  }

  static int readPort(RlpReader list) {
    int port = list.readInt();
    if (port > 65535) {
      throw new io.peerflow.rlp.RlpException("port " + port + " out of range");
    }
    return port;
  }
}
