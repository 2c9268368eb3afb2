package io.peerflow.peers;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A kind of data fetched from peers (headers, bodies, ...): its wire code, the most items one
 * request may ask for, and a small dense {@link #index()} for per-kind arrays on hot paths.
 *
 * <p>The four eth kinds are constants; other protocols add theirs with {@link #define} (for example
 * snap account ranges). Kinds are compared by identity. Immutable; {@link #define} and the lookups
 * are thread-safe (definitions are rare and serialized on the class).
 */
public final class MessageKind {

  /**
   * Most kinds that can exist. Per-kind state of a peer lives in arrays (and a bit mask) of this
   * size, so it bounds memory per peer; the eth and snap protocols together need eight.
   */
  public static final int MAX_KINDS = 32;

  // Must precede the constants below, which register themselves during class initialization.
  private static volatile MessageKind[] defined = new MessageKind[0];

  /** Block headers ({@code BlockHeaders}, 0x04); a request asks for at most 192. */
  public static final MessageKind HEADERS = define("headers", 0x04, 192);

  /** Block bodies ({@code BlockBodies}, 0x06); a request asks for at most 128. */
  public static final MessageKind BODIES = define("bodies", 0x06, 128);

  /** State trie nodes ({@code NodeData}, 0x0e, eth/66 only); a request asks for at most 384. */
  public static final MessageKind NODE_DATA = define("node data", 0x0e, 384);

  /** Receipts of blocks ({@code Receipts}, 0x10); a request asks for at most 256. */
  public static final MessageKind RECEIPTS = define("receipts", 0x10, 256);

  private final String name;
  private final int code;
  private final int maxFetch;
  private final int index;

  private MessageKind(String name, int code, int maxFetch, int index) {
    this.name = name;
    this.code = code;
    this.maxFetch = maxFetch;
    this.index = index;
  }

  /**
   * Defines a new kind. Codes must be unique across all kinds, because throughput trackers key
   * their estimates by code; at most {@link #MAX_KINDS} kinds can exist. Meant to be called once
   * per kind, typically from a static constant.
   *
   * @param name human-readable name, for logs
   * @param code the response message's wire code, non-negative
   * @param maxFetch the most items one request may ask for, positive
   */
  public static synchronized MessageKind define(String name, int code, int maxFetch) {
    if (code < 0 || maxFetch <= 0) {
      throw new IllegalArgumentException(
          "code must be non-negative and maxFetch positive: " + code + ", " + maxFetch);
    }
    MessageKind[] current = defined;
    for (MessageKind k : current) {
      if (k.code == code) {
        throw new IllegalArgumentException("code " + code + " is already the kind " + k.name);
      }
    }
    if (current.length == MAX_KINDS) {
      throw new IllegalStateException("no more than " + MAX_KINDS + " message kinds");
    }
    MessageKind kind = new MessageKind(name, code, maxFetch, current.length);
    MessageKind[] next = Arrays.copyOf(current, current.length + 1);
    next[kind.index] = kind;
    defined = next;
    return kind;
  }

  /** The kind with this wire code, if one is defined. */
  public static Optional<MessageKind> byCode(long code) {
    for (MessageKind k : defined) {
      if (k.code == code) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /** Every kind defined so far, in {@link #index()} order. */
  public static List<MessageKind> all() {
    return List.of(defined);
  }

  /** Human-readable name. */
  public String name() {
    return name;
  }

  /** Wire code of the response message; also the key of this kind in throughput trackers. */
  public int code() {
    return code;
  }

  /** The most items one request of this kind may ask for (the cap on a peer's capacity). */
  public int maxFetch() {
    return maxFetch;
  }

  /** Dense index in {@code [0, MAX_KINDS)}, in order of definition: use it to index arrays. */
  public int index() {
    return index;
  }

  @Override
  public String toString() {
    return name + "(0x" + Integer.toHexString(code) + ")";
  }
}
