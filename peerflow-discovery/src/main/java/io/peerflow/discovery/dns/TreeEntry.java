package io.peerflow.discovery.dns;

import io.peerflow.discovery.enr.Enr;
import io.peerflow.discovery.enr.EnrException;
import io.peerflow.discovery.enr.IdentityV4;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.utils.base32;

/**
 * One TXT record of an EIP-1459 node list: the signed root, a branch of hashes, a link to another
 * list, or a node record; immutable values and their text forms.
 */
public sealed interface TreeEntry {

  /** The entry's text, as published. */
  String text();

  /** Base32 (RFC 4648, no padding), as entry names and list keys are written. */
  base32 BASE32 = new base32(base32.Alphabet.BASE32, false, false);

  /**
   * The name an entry is published under: the base32 of the first 16 bytes of Keccak-256 of its
   * text.
   */
  static String hashOf(String text) {
    byte[] h = IdentityV4.keccak(text.getBytes(StandardCharsets.UTF_8));
    return BASE32.toString(Arrays.copyOf(h, 16));
  }

  /** {@code enrtree-root:v1 e=<enr-root> l=<link-root> seq=<n> sig=<signature>}. */
  record Root(String enrRoot, String linkRoot, long seq, byte[] signature) implements TreeEntry {
    static final String PREFIX = "enrtree-root:v1";
    private static final Pattern FORM =
        Pattern.compile(
            "enrtree-root:v1 e=([A-Z2-7]{26}) l=([A-Z2-7]{26}) seq=(\\d{1,18})"
                + " sig=([A-Za-z0-9_-]+)");

    /** The text the signature covers: everything but {@code sig=}. */
    String signedText() {
      return PREFIX + " e=" + enrRoot + " l=" + linkRoot + " seq=" + seq;
    }

    @Override
    public String text() {
      return signedText()
          + " sig="
          + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }

    /**
     * Checks the signature against the list's 64-byte public key.
     *
     * @throws DnsTreeException if it was not made by that key
     */
    void verify(byte[] publicKey) throws DnsTreeException {
      byte[] hash = IdentityV4.keccak(signedText().getBytes(StandardCharsets.UTF_8));
      byte[] signer;
      try {
        signer = IdentityV4.recover(signature, hash);
      } catch (SignatureException | IllegalArgumentException e) {
        throw new DnsTreeException("root signature is malformed: " + e.getMessage(), e);
      }
      if (!Arrays.equals(signer, publicKey)) {
        throw new DnsTreeException("root signature does not match the list's public key");
      }
    }

    static Root parse(String text) throws DnsTreeException {
      Matcher m = FORM.matcher(text);
      if (!m.matches()) {
        throw new DnsTreeException("malformed root entry '" + abbreviate(text) + "'");
      }
      byte[] sig;
      try {
        sig = Base64.getUrlDecoder().decode(m.group(4));
      } catch (IllegalArgumentException e) {
        throw new DnsTreeException("root signature is not URL-safe base64", e);
      }
      if (sig.length != 65) {
        throw new DnsTreeException("root signature of " + sig.length + " bytes, expected 65");
      }
      return new Root(m.group(1), m.group(2), Long.parseLong(m.group(3)), sig);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Root r && text().equals(r.text());
    }

    @Override
    public int hashCode() {
      return text().hashCode();
    }

    @Override
    public String toString() {
      return text();
    }
  }

  /** {@code enrtree-branch:<h1>,<h2>,...}: hashes of the entries below. */
  record Branch(List<String> children) implements TreeEntry {
    static final String PREFIX = "enrtree-branch:";
    private static final Pattern HASH = Pattern.compile("[A-Z2-7]{26}");

    /** Copies the list. */
    public Branch {
      children = List.copyOf(children);
    }

    @Override
    public String text() {
      return PREFIX + String.join(",", children);
    }
  }

  /** {@code enrtree://<key>@<domain>}: another list, only in the link subtree. */
  record Link(EnrTreeUrl url) implements TreeEntry {
    @Override
    public String text() {
      return url.toString();
    }
  }

  /** {@code enr:<record>}: a node, only in the node subtree. */
  record Leaf(Enr record) implements TreeEntry {
    @Override
    public String text() {
      return record.text();
    }
  }

  /**
   * Parses an entry's text.
   *
   * @throws DnsTreeException naming what is wrong
   */
  static TreeEntry parse(String text) throws DnsTreeException {
    if (text.startsWith(Root.PREFIX)) {
      return Root.parse(text);
    }
    if (text.startsWith(Branch.PREFIX)) {
      String body = text.substring(Branch.PREFIX.length());
      List<String> hashes = body.isEmpty() ? List.of() : List.of(body.split(",", -1));
      for (String h : hashes) {
        if (!Branch.HASH.matcher(h).matches()) {
          throw new DnsTreeException("malformed branch entry: bad hash '" + abbreviate(h) + "'");
        }
      }
      return new Branch(hashes);
    }
    if (text.startsWith(EnrTreeUrl.SCHEME)) {
      return new Link(EnrTreeUrl.parse(text));
    }
    if (text.startsWith(Enr.PREFIX)) {
      try {
        return new Leaf(Enr.parse(text));
      } catch (EnrException e) {
        throw new DnsTreeException("bad node record in list: " + e.getMessage(), e);
      }
    }
    throw new DnsTreeException("unknown entry '" + abbreviate(text) + "'");
  }

  private static String abbreviate(String text) {
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }
}
