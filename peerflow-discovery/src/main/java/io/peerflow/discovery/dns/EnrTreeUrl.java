package io.peerflow.discovery.dns;

import io.peerflow.discovery.enr.IdentityV4;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A DNS node list's address, {@code enrtree://<base32 compressed key>@<domain>}: where the list is
 * and which key must have signed it; an immutable value.
 */
public final class EnrTreeUrl {

  /** The URL scheme. */
  public static final String SCHEME = "enrtree://";

  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

  private final byte[] publicKey;
  private final String domain;

  private EnrTreeUrl(byte[] publicKey, String domain) {
    this.publicKey = publicKey;
    this.domain = domain;
  }

  /** The URL of a list on {@code domain} signed by {@code publicKey} (64 bytes). */
  public static EnrTreeUrl of(byte[] publicKey, String domain) throws DnsTreeException {
    return parse(SCHEME + TreeEntry.BASE32.toString(IdentityV4.compress(publicKey)) + "@" + domain);
  }

  /**
   * Parses a URL.
   *
   * @throws DnsTreeException naming what is wrong: scheme, key, domain
   */
  public static EnrTreeUrl parse(String url) throws DnsTreeException {
    String u = url.strip();
    if (!u.startsWith(SCHEME)) {
      throw new DnsTreeException("a DNS node list URL starts with " + SCHEME + ": '" + u + "'");
    }
    String rest = u.substring(SCHEME.length());
    int at = rest.indexOf('@');
    if (at < 0) {
      throw new DnsTreeException("missing @domain in '" + u + "'");
    }
    String keyText = rest.substring(0, at);
    String domain = rest.substring(at + 1).toLowerCase(Locale.ROOT);
    if (domain.endsWith(".")) {
      domain = domain.substring(0, domain.length() - 1);
    }
    if (!DOMAIN.matcher(domain).matches()) {
      throw new DnsTreeException("bad domain in '" + u + "'");
    }
    // 33 bytes of base32 without padding are 53 characters; anything else is not a key.
    if (keyText.length() != 53
        || !keyText.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'))) {
      throw new DnsTreeException("bad public key in '" + u + "': expected 53 base32 characters");
    }
    byte[] compressed = TreeEntry.BASE32.fromString(keyText);
    try {
      return new EnrTreeUrl(IdentityV4.decompress(compressed), domain);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new DnsTreeException("bad public key in '" + u + "': " + e.getMessage(), e);
    }
  }

  /** The signer's 64-byte public key. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The domain, lower case, without a trailing dot. */
  public String domain() {
    return domain;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EnrTreeUrl u
        && domain.equals(u.domain)
        && Arrays.equals(publicKey, u.publicKey);
  }

  @Override
  public int hashCode() {
    return domain.hashCode();
  }

  @Override
  public String toString() {
    return SCHEME + TreeEntry.BASE32.toString(IdentityV4.compress(publicKey)) + "@" + domain;
  }
}
