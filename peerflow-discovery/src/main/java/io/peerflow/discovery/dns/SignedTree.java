package io.peerflow.discovery.dns;

import io.peerflow.discovery.enr.Enr;
import io.peerflow.discovery.enr.IdentityV4;
import io.peerflow.rlpx.NodeKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DNS node list ready to publish: the TXT records of a tree of node records and links, signed by
 * a key; an immutable value.
 */
public final class SignedTree {

  /**
   * Hashes per branch: 13 of 27 characters keep a branch's text under 370 characters, so every
   * record fits a 512-byte UDP DNS answer, as EIP-1459 asks.
   */
  static final int MAX_CHILDREN = 13;

  private final EnrTreeUrl url;
  private final Map<String, String> records;

  private SignedTree(EnrTreeUrl url, Map<String, String> records) {
    this.url = url;
    this.records = records;
  }

  /**
   * Builds and signs the tree of {@code nodes} and {@code links} at {@code domain}, with sequence
   * number {@code seq}.
   */
  public static SignedTree sign(
      NodeKey key, String domain, long seq, List<Enr> nodes, List<EnrTreeUrl> links)
      throws DnsTreeException {
    EnrTreeUrl url = EnrTreeUrl.of(key.id().bytes(), domain);
    Map<String, String> records = new LinkedHashMap<>();
    List<String> nodeTexts = new ArrayList<>();
    nodes.forEach(n -> nodeTexts.add(n.text()));
    List<String> linkTexts = new ArrayList<>();
    links.forEach(l -> linkTexts.add(l.toString()));
    Map<String, String> entries = new LinkedHashMap<>();
    String enrRoot = subtree(nodeTexts, entries);
    String linkRoot = subtree(linkTexts, entries);
    String signed = "enrtree-root:v1 e=" + enrRoot + " l=" + linkRoot + " seq=" + seq;
    byte[] sig = IdentityV4.signRecoverable(key, signed.getBytes(StandardCharsets.UTF_8));
    TreeEntry.Root root = new TreeEntry.Root(enrRoot, linkRoot, seq, sig);
    records.put(url.domain(), root.text());
    entries.forEach((hash, text) -> records.put(hash + "." + url.domain(), text));
    return new SignedTree(url, java.util.Collections.unmodifiableMap(records));
  }

  /** Adds the entries of a subtree over {@code leaves} and returns the hash of its top. */
  private static String subtree(List<String> leaves, Map<String, String> entries) {
    List<String> level = new ArrayList<>();
    for (String text : leaves) {
      level.add(put(text, entries));
    }
    if (level.isEmpty()) {
      return put(TreeEntry.Branch.PREFIX, entries);
    }
    while (level.size() > 1) {
      List<String> up = new ArrayList<>();
      for (int i = 0; i < level.size(); i += MAX_CHILDREN) {
        List<String> chunk = level.subList(i, Math.min(level.size(), i + MAX_CHILDREN));
        up.add(put(TreeEntry.Branch.PREFIX + String.join(",", chunk), entries));
      }
      level = up;
    }
    return level.get(0);
  }

  private static String put(String text, Map<String, String> entries) {
    String h = TreeEntry.hashOf(text);
    entries.put(h, text);
    return h;
  }

  /** The list's {@code enrtree://} URL. */
  public EnrTreeUrl url() {
    return url;
  }

  /** The TXT records, fully qualified name to text, the root first. */
  public Map<String, String> records() {
    return records;
  }
}
