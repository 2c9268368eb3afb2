package io.peerflow.rlpx;

import java.util.Objects;

/**
 * A devp2p capability (subprotocol) at one version, e.g. {@code eth/68}, with the number of message
 * ids it uses; an immutable value, safe to share between threads.
 *
 * <p>Names are 1 to 8 ASCII characters (rlpx.md) and case-sensitive. {@code messageSpaceLength} is
 * fixed by the subprotocol's spec for that version (eth/68: 17); RLPx gives each shared capability
 * that many consecutive message ids, so both peers must agree on it.
 *
 * @param name e.g. "eth"
 * @param version e.g. 68
 * @param messageSpaceLength number of message codes, at least 1
 */
public record Capability(String name, int version, int messageSpaceLength) {

  /** rlpx.md: "a short ASCII name (max eight characters)". */
  static final int MAX_NAME_LENGTH = 8;

  public Capability {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()
        || name.length() > MAX_NAME_LENGTH
        || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException(
          "capability name must be 1.."
              + MAX_NAME_LENGTH
              + " printable ASCII characters: '"
              + name
              + "'");
    }
    if (version < 0) {
      throw new IllegalArgumentException("negative capability version " + version);
    }
    if (messageSpaceLength < 1) {
      throw new IllegalArgumentException(
          "capability " + name + "/" + version + " needs at least one message id");
    }
  }

  /** {@code name/version}, as in logs and geth's output. */
  @Override
  public String toString() {
    return name + "/" + version;
  }
}
