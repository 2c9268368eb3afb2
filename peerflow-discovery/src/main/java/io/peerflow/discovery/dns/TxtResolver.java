package io.peerflow.discovery.dns;

import io.peerflow.rlpx.LoopbackGuard;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Looks up TXT records with dnsjava, through the system's resolvers or one given server; each
 * record's strings are joined, since an entry over 255 characters is published as several.
 * Blocking: call it from a thread of its own, never an event loop. Thread-safe.
 */
public final class TxtResolver {

  /** A slow resolver is retried by dnsjava within this; beyond it the list is unreachable. */
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Resolver resolver;

  private TxtResolver(Resolver resolver) {
    this.resolver = resolver;
  }

  /**
   * Queries {@code server} only.
   *
   * @throws DnsTreeException if the loopback guard refuses it
   */
  public static TxtResolver server(InetSocketAddress server, LoopbackGuard guard)
      throws DnsTreeException {
    check(server, guard);
    SimpleResolver r = new SimpleResolver(server);
    r.setTimeout(TIMEOUT);
    return new TxtResolver(r);
  }

  /**
   * Queries the system's configured resolvers.
   *
   * @throws DnsTreeException if the loopback guard refuses one of them
   */
  public static TxtResolver system(LoopbackGuard guard) throws DnsTreeException {
    List<InetSocketAddress> servers = ResolverConfig.getCurrentConfig().servers();
    List<Resolver> resolvers = new ArrayList<>();
    for (InetSocketAddress s : servers) {
      check(s, guard);
      resolvers.add(new SimpleResolver(s));
    }
    if (resolvers.isEmpty()) {
      throw new DnsTreeException("no DNS server configured on this system (use --dns-server)");
    }
    ExtendedResolver r = new ExtendedResolver(resolvers);
    r.setTimeout(TIMEOUT);
    return new TxtResolver(r);
  }

  private static void check(InetSocketAddress server, LoopbackGuard guard) throws DnsTreeException {
    try {
      guard.check(server, "DNS query");
    } catch (LoopbackGuard.Refused e) {
      throw new DnsTreeException(e.getMessage(), e);
    }
  }

  /**
   * The TXT records of {@code name}, each with its strings joined; empty if the name has none.
   *
   * @throws DnsTreeException if the query fails
   */
  public List<String> lookup(String name) throws DnsTreeException {
    Name n;
    try {
      n = Name.fromString(name.endsWith(".") ? name : name + ".");
    } catch (TextParseException e) {
      throw new DnsTreeException("bad DNS name '" + name + "': " + e.getMessage(), e);
    }
    Message response;
    try {
      response = resolver.send(Message.newQuery(Record.newRecord(n, Type.TXT, DClass.IN)));
    } catch (IOException e) {
      throw new DnsTreeException("DNS query for " + name + " failed: " + e.getMessage(), e);
    }
    int rcode = response.getRcode();
    if (rcode == Rcode.NXDOMAIN) {
      return List.of();
    }
    if (rcode != Rcode.NOERROR) {
      throw new DnsTreeException("DNS query for " + name + " failed: " + Rcode.string(rcode));
    }
    List<String> out = new ArrayList<>();
    for (Record r : response.getSection(Section.ANSWER)) {
      if (r instanceof TXTRecord txt) {
        out.add(String.join("", txt.getStrings()));
      }
    }
    return out;
  }
}
