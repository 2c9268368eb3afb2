package io.peerflow.rlpx;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A node's address as an {@code enode} URL, {@code enode://<128 hex id>@<host>:<tcp
 * port>[?discport=<udp port>]}; an immutable, thread-safe value.
 *
 * <p>The host is an IPv4 literal, an IPv6 literal (bracketed in the URL, stored without brackets)
 * or a DNS name; parsing never resolves names. {@link #toString()} prints the canonical URL, so
 * {@code parse(e.toString()).equals(e)}; {@code ?discport} is printed only when it differs from the
 * TCP port.
 *
 * @param id the node's identity
 * @param host lower-case host: IPv4 or IPv6 literal, or DNS name
 * @param tcpPort the RLPx listening port, 1..65535
 * @param discoveryPort the discovery (UDP) port, 1..65535; equal to {@code tcpPort} by default
 */
public record Enode(NodeId id, String host, int tcpPort, int discoveryPort) {

  /** Accepted in any case, printed in lower case. */
  private static final String SCHEME = "enode://";

  /** Port 0 means "not listening", which makes no sense in an address given to others. */
  private static final int MIN_PORT = 1;

  /** TCP and UDP ports are 16-bit. */
  private static final int MAX_PORT = 65535;

  /** Dotted quad of 0..255 without leading zeros (which some parsers read as octal). */
  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

  /** RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens. */
  private static final Pattern HOSTNAME =
      Pattern.compile(
          "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\\.?");

  /** Characters an IPv6 literal can contain, including an embedded IPv4 part. */
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-f:.]+");

  /** Validates and normalises the host (lower case, IPv6 without brackets). */
  public Enode {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(host, "host");
    host = checkHost(host.toLowerCase(Locale.ROOT));
    checkPort("TCP port", tcpPort);
    checkPort("discovery port", discoveryPort);
  }

  /** An enode whose discovery port equals its TCP port. */
  public Enode(NodeId id, String host, int port) {
    this(id, host, port, port);
  }

  /**
   * Parses an enode URL.
   *
   * @throws IllegalArgumentException naming the URL and what is wrong with it: scheme, node id
   *     (length, hex, not on the curve), missing or malformed host, missing port, port out of
   *     range, unknown query parameter
   */
  public static Enode parse(String url) {
    Objects.requireNonNull(url, "url");
    try {
      return parseOrThrow(url.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid enode URL '" + url + "': " + e.getMessage(), e);
    }
  }

  private static Enode parseOrThrow(String url) {
    if (!url.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      throw new IllegalArgumentException("must start with " + SCHEME);
    }
    String rest = url.substring(SCHEME.length());
    int at = rest.indexOf('@');
    if (at < 0) {
      throw new IllegalArgumentException("missing @host:port after the node id");
    }
    NodeId id = NodeId.fromHex(rest.substring(0, at));
    String address = rest.substring(at + 1);
    if (address.indexOf('#') >= 0 || address.indexOf('/') >= 0) {
      throw new IllegalArgumentException("unexpected path or fragment after host:port");
    }
    String query = null;
    int q = address.indexOf('?');
    if (q >= 0) {
      query = address.substring(q + 1);
      address = address.substring(0, q);
    }
    String host;
    String portText;
    if (address.startsWith("[")) {
      int close = address.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("unterminated [IPv6 address]");
      }
      host = address.substring(1, close);
      if (!checkIpv6(host.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("bad host: '" + host + "' is not an IPv6 address");
      }
      String after = address.substring(close + 1);
      if (after.isEmpty()) {
        throw new IllegalArgumentException("missing port");
      }
      if (after.charAt(0) != ':') {
        throw new IllegalArgumentException("expected ':port' after the IPv6 address");
      }
      portText = after.substring(1);
    } else {
      int colon = address.lastIndexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("missing port");
      }
      host = address.substring(0, colon);
      portText = address.substring(colon + 1);
      if (host.indexOf(':') >= 0) {
        throw new IllegalArgumentException("bad host: an IPv6 address must be in [brackets]");
      }
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("missing host");
    }
    int tcp = parsePort("port", portText);
    int disc = tcp;
    if (query != null) {
      for (String param : query.split("&", -1)) {
        if (param.startsWith("discport=")) {
          disc = parsePort("discport", param.substring("discport=".length()));
        } else {
          throw new IllegalArgumentException("unknown query parameter '" + param + "'");
        }
      }
    }
    return new Enode(id, host, tcp, disc);
  }

  private static int parsePort(String what, String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("missing " + what);
    }
    // At most 6 digits so the int parse cannot overflow; anything longer is out of range anyway.
    if (!text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(what + " '" + text + "' is not a number");
    }
    if (text.length() > 6) {
      throw new IllegalArgumentException(
          what + " " + text + " out of range " + MIN_PORT + ".." + MAX_PORT);
    }
    int port = Integer.parseInt(text);
    checkPort(what, port);
    return port;
  }

  private static void checkPort(String what, int port) {
    if (port < MIN_PORT || port > MAX_PORT) {
      throw new IllegalArgumentException(
          what + " " + port + " out of range " + MIN_PORT + ".." + MAX_PORT);
    }
  }

  private static String checkHost(String host) {
    if (host.isEmpty()) {
      throw new IllegalArgumentException("missing host");
    }
    if (host.indexOf(':') >= 0) {
      if (!checkIpv6(host)) {
        throw new IllegalArgumentException("bad host: '" + host + "' is not an IPv6 address");
      }
      return host;
    }
    if (IPV4.matcher(host).matches()) {
      return host;
    }
    // A dotted all-numeric name that failed the IPv4 pattern is a mistyped address, not a name.
    if (host.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.')) {
      throw new IllegalArgumentException("bad host: '" + host + "' is not an IPv4 address");
    }
    if (!HOSTNAME.matcher(host).matches()) {
      throw new IllegalArgumentException("bad host: '" + host + "'");
    }
    return host;
  }

  /** Only hex digits, colons and dots can reach the resolver, so it parses and never looks up. */
  private static boolean checkIpv6(String host) {
    if (!IPV6_CHARS.matcher(host).matches() || host.indexOf(':') < 0) {
      return false;
    }
    try {
      InetAddress.getByName("[" + host + "]");
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The canonical URL. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(SCHEME).append(id.toHex()).append('@');
    if (host.indexOf(':') >= 0) {
      sb.append('[').append(host).append(']');
    } else {
      sb.append(host);
    }
    sb.append(':').append(tcpPort);
    if (discoveryPort != tcpPort) {
      sb.append("?discport=").append(discoveryPort);
    }
    return sb.toString();
  }

  /** The TCP address to dial; a DNS name is left unresolved, for the dialer to resolve. */
  public InetSocketAddress tcpAddress() {
    if (host.indexOf(':') >= 0 || IPV4.matcher(host).matches()) {
      try {
        return new InetSocketAddress(InetAddress.getByName(host), tcpPort);
      } catch (UnknownHostException e) {
        throw new IllegalStateException("validated literal did not parse: " + host, e);
      }
    }
    return InetSocketAddress.createUnresolved(host, tcpPort);
  }
}
