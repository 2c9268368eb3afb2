package io.peerflow.rlpx;

import io.peerflow.crypto.Secp256k1;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * A node's static secp256k1 private key, which gives it its {@link NodeId}, and its persistence as
 * a {@code nodekey} file; immutable and thread-safe.
 *
 * <p>The file holds 64 hex digits, the format go-ethereum uses. The key never appears in {@link
 * #toString()} or exception messages. rlpx.md asks that a node keep its key across restarts and
 * that resetting it be a manual act, so {@link #loadOrCreate} creates a key only when no file
 * exists and refuses (with the reason) a file it cannot read, rather than silently replacing it.
 */
public final class NodeKey {

  /** The file name inside a data directory, as in go-ethereum. */
  public static final String FILE_NAME = "nodekey";

  /** Lower case, as go-ethereum writes its nodekey files. */
  private static final HexFormat HEX = HexFormat.of();

  /**
   * 64 hex digits plus generous room for white space; anything larger is not a key file, and is
   * refused without reading it into memory.
   */
  private static final long MAX_FILE_SIZE = 1024;

  /** Owner read/write only: whoever reads the file can impersonate the node. */
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final byte[] privateKey;
  private final NodeId id;

  private NodeKey(byte[] privateKey) {
    this.privateKey = privateKey;
    this.id = NodeId.of(Secp256k1.publicKey(privateKey));
  }

  /** A new random key. */
  public static NodeKey generate(SecureRandom random) {
    return new NodeKey(Secp256k1.generatePrivateKey(random));
  }

  /** A new random key from a fresh {@link SecureRandom}. */
  public static NodeKey generate() {
    return generate(new SecureRandom());
  }

  /**
   * The key with these 32 bytes.
   *
   * @throws IllegalArgumentException if they are not a valid secp256k1 private key
   */
  public static NodeKey fromBytes(byte[] privateKey) {
    if (!Secp256k1.isValidPrivateKey(privateKey)) {
      throw new IllegalArgumentException(
          "not a secp256k1 private key: need 32 bytes encoding a number in [1, n-1]");
    }
    return new NodeKey(privateKey.clone());
  }

  /**
   * The key written as 64 hex digits.
   *
   * @throws IllegalArgumentException if the text is not 64 hex digits of a valid key
   */
  public static NodeKey fromHex(String hex) {
    if (hex.length() != 2 * Secp256k1.PRIVATE_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "node key must be "
              + 2 * Secp256k1.PRIVATE_KEY_LENGTH
              + " hex characters, found "
              + hex.length());
    }
    byte[] b;
    try {
      b = HEX.parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("node key is not hexadecimal");
    }
    return fromBytes(b);
  }

  /**
   * Reads a key file: 64 hex digits, surrounding white space (a trailing newline added by an
   * editor) tolerated.
   *
   * @throws NoSuchFileException if the file does not exist
   * @throws IOException if it cannot be read or does not hold a valid key; the message says why and
   *     names the file
   */
  public static NodeKey load(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_FILE_SIZE) {
      throw new IOException(
          "corrupt node key file "
              + file
              + ": "
              + size
              + " bytes, expected 64 hex characters (delete it to generate a new identity)");
    }
    String text = Files.readString(file, StandardCharsets.ISO_8859_1).strip();
    try {
      return fromHex(text);
    } catch (IllegalArgumentException e) {
      throw new IOException(
          "corrupt node key file "
              + file
              + ": "
              + e.getMessage()
              + " (delete it to generate a new identity)");
    }
  }

  /**
   * Loads {@code dataDir/nodekey}, or creates the directory and a new key there if the file does
   * not exist. A file that exists but is unreadable or corrupt is an error, not replaced.
   */
  public static NodeKey loadOrCreate(Path dataDir) throws IOException {
    Path file = dataDir.resolve(FILE_NAME);
    try {
      return load(file);
    } catch (NoSuchFileException absent) {
      Files.createDirectories(dataDir);
      NodeKey key = generate();
      try {
        key.store(file, false);
      } catch (FileAlreadyExistsException raced) {
        // Another process created it between our read and write: theirs wins, so both agree.
        return load(file);
      }
      return key;
    }
  }

  /**
   * Writes the key to {@code file} (replacing it), readable by the owner only where the file system
   * has POSIX permissions. Written to a temporary file first and moved into place, so a crash never
   * leaves a half-written key.
   */
  public void store(Path file) throws IOException {
    store(file, true);
  }

  private void store(Path file, boolean replace) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp;
    boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
    if (posix) {
      tmp =
          Files.createTempFile(
              dir, FILE_NAME, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } else {
      tmp = Files.createTempFile(dir, FILE_NAME, ".tmp");
    }
    try {
      Files.writeString(tmp, HEX.formatHex(privateKey), StandardCharsets.US_ASCII);
      if (replace) {
        try {
          Files.move(
              tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } else {
        // No REPLACE_EXISTING: fails if someone else created the file meanwhile.
        Files.move(tmp, file);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** This key's node id (its public key). */
  public NodeId id() {
    return id;
  }

  /**
   * Signs a 32-byte hash (used as is) with this key: {@code r || s || v}, 65 bytes, low {@code s};
   * how discovery packets, node records and DNS trees are signed without the key leaving here.
   */
  public byte[] sign(byte[] hash) {
    return Secp256k1.sign(privateKey, hash);
  }

  /** The raw private key, for the handshake; never leaves the package. */
  byte[] privateKeyBytes() {
    return privateKey;
  }

  /** Names the id only, never the key. */
  @Override
  public String toString() {
    return "NodeKey[id=" + id.shortHex() + "]";
  }
}
