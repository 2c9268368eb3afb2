package io.peerflow.discovery.dns;

import io.peerflow.discovery.enr.Enr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Walks one or more DNS node lists lazily and in random order, returning one verified node record
 * per {@link #next()}, and following links to further lists. Not thread-safe, and blocking (each
 * step may query DNS): one walker per thread of its own.
 *
 * <p>Each list's root is checked against the key in its URL and its sequence number may not go
 * below one seen before; every entry must hash to the name it was found under; a record may only
 * sit in the node subtree and a link only in the link subtree. Names already resolved are never
 * asked again, so a tree with cycles ends.
 */
public final class EnrTreeWalker {

  private final TxtResolver resolver;

  private final Random random;
  private final List<Tree> trees = new ArrayList<>();
  private final Set<String> domains = new HashSet<>();
  private final Map<String, Long> seqSeen = new HashMap<>();

  /** A walker over {@code urls}, resolving through {@code resolver}. */
  public EnrTreeWalker(List<EnrTreeUrl> urls, TxtResolver resolver, Random random) {
    this.resolver = resolver;
    this.random = random;
    for (EnrTreeUrl u : urls) {
      addTree(u);
    }
  }

  private void addTree(EnrTreeUrl url) {
    if (domains.add(url.domain())) {
      trees.add(new Tree(url));
    }
  }

  /**
   * The next node record, or empty when every list has been walked to its end.
   *
   * @throws DnsTreeException on a list that fails a check or cannot be queried; the walker stays
   *     usable and that list is dropped
   */
  public Optional<Enr> next() throws DnsTreeException {
    while (!trees.isEmpty()) {
      Tree tree = trees.get(random.nextInt(trees.size()));
      Optional<Enr> found;
      try {
        found = tree.step();
      } catch (DnsTreeException e) {
        trees.remove(tree);
        throw new DnsTreeException(tree.url.domain() + ": " + e.getMessage(), e);
      }
      if (found.isPresent()) {
        return found;
      }
      if (tree.done()) {
        trees.remove(tree);
      }
    }
    return Optional.empty();
  }

  /** Every record left, in random order: for tests and small lists. */
  public List<Enr> all() throws DnsTreeException {
    List<Enr> out = new ArrayList<>();
    for (Optional<Enr> e = next(); e.isPresent(); e = next()) {
      out.add(e.get());
    }
    return out;
  }

  private final class Tree {
    final EnrTreeUrl url;
    boolean rootLoaded;
    final List<String> pendingNodes = new ArrayList<>();
    final List<String> pendingLinks = new ArrayList<>();
    final Set<String> resolved = new HashSet<>();

    Tree(EnrTreeUrl url) {
      this.url = url;
    }

    boolean done() {
      return rootLoaded && pendingNodes.isEmpty() && pendingLinks.isEmpty();
    }

    /** Resolves one entry; returns a record if that entry was one. */
    Optional<Enr> step() throws DnsTreeException {
      if (!rootLoaded) {
        loadRoot();
        return Optional.empty();
      }
      boolean links = pendingNodes.isEmpty() || (!pendingLinks.isEmpty() && random.nextInt(4) == 0);
      List<String> pending = links ? pendingLinks : pendingNodes;
      if (pending.isEmpty()) {
        return Optional.empty();
      }
      String hash = pending.remove(random.nextInt(pending.size()));
      if (!resolved.add(hash)) {
        return Optional.empty();
      }
      TreeEntry entry = resolve(hash);
      if (entry instanceof TreeEntry.Branch b) {
        pending.addAll(b.children());
      } else if (entry instanceof TreeEntry.Leaf leaf) {
        if (links) {
          throw new DnsTreeException("node record in the link subtree at " + hash);
        }
        return Optional.of(leaf.record());
      } else if (entry instanceof TreeEntry.Link link) {
        if (!links) {
          throw new DnsTreeException("link in the node subtree at " + hash);
        }
        addTree(link.url());
      } else {
        throw new DnsTreeException("root entry inside the tree at " + hash);
      }
      return Optional.empty();
    }

    private void loadRoot() throws DnsTreeException {
      TreeEntry.Root root = null;
      for (String txt : resolver.lookup(url.domain())) {
        if (txt.startsWith(TreeEntry.Root.PREFIX)) {
          root = TreeEntry.Root.parse(txt);
          break;
        }
      }
      if (root == null) {
        throw new DnsTreeException("no enrtree-root TXT record at " + url.domain());
      }
      root.verify(url.publicKey());
      Long before = seqSeen.get(url.domain());
      if (before != null && root.seq() < before) {
        throw new DnsTreeException(
            "sequence number " + root.seq() + " is below " + before + " seen before");
      }
      seqSeen.put(url.domain(), root.seq());
      rootLoaded = true;
      pendingNodes.add(root.enrRoot());
      pendingLinks.add(root.linkRoot());
    }

    private TreeEntry resolve(String hash) throws DnsTreeException {
      String name = hash + "." + url.domain();
      List<String> texts = resolver.lookup(name);
      if (texts.isEmpty()) {
        throw new DnsTreeException("no TXT record at " + name);
      }
      for (String text : texts) {
        if (TreeEntry.hashOf(text).equals(hash)) {
          return TreeEntry.parse(text);
        }
      }
      throw new DnsTreeException("the entry at " + name + " does not match its hash");
    }
  }
}
