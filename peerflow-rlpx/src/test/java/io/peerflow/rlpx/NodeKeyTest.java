package io.peerflow.rlpx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeKeyTest {

  @TempDir Path dir;

  @Test
  void aNewDataDirectoryGetsAKeyThatIsReloadedNextTime() throws IOException {
    Path data = dir.resolve("data");
    NodeKey first = NodeKey.loadOrCreate(data);
    NodeKey second = NodeKey.loadOrCreate(data);
    assertThat(second.id()).isEqualTo(first.id());
    String text = Files.readString(data.resolve("nodekey"));
    assertThat(text).matches("[0-9a-f]{64}");
    assertThat(NodeKey.fromHex(text).id()).isEqualTo(first.id());
  }

  @Test
  void theKeyFileIsReadableByItsOwnerOnly() throws IOException {
    Path data = dir.resolve("data");
    NodeKey.loadOrCreate(data);
    Path file = data.resolve(NodeKey.FILE_NAME);
    if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
    }
    try (var files = Files.list(data)) {
      assertThat(files).containsExactly(file); // no temporary file left behind
    }
  }

  @Test
  void storeAndLoadRoundTripAndTolerateATrailingNewline() throws IOException {
    NodeKey key = NodeKey.generate();
    Path file = dir.resolve("k");
    key.store(file);
    assertThat(NodeKey.load(file).id()).isEqualTo(key.id());
    Files.writeString(file, Files.readString(file) + "\n");
    assertThat(NodeKey.load(file).id()).isEqualTo(key.id());
  }

  @Test
  void aCorruptFileIsAnErrorThatNamesTheFileAndIsNotOverwritten() throws IOException {
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    Path file = data.resolve("nodekey");
    Files.writeString(file, "not a key");
    assertThatThrownBy(() -> NodeKey.loadOrCreate(data))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("corrupt node key file " + file)
        .hasMessageContaining("64 hex characters, found 9");
    assertThat(Files.readString(file)).isEqualTo("not a key");

    Files.writeString(file, "zz" + "00".repeat(31));
    assertThatThrownBy(() -> NodeKey.load(file)).hasMessageContaining("not hexadecimal");
    Files.writeString(file, "00".repeat(32));
    assertThatThrownBy(() -> NodeKey.load(file))
        .hasMessageContaining("not a secp256k1 private key");
    Files.write(file, new byte[1 << 20]);
    assertThatThrownBy(() -> NodeKey.load(file)).hasMessageContaining("1048576 bytes");
  }

  @Test
  void theSecretNeverAppearsInToString() {
    NodeKey key = NodeKey.generate();
    assertThat(key.toString()).contains(key.id().shortHex()).hasSizeLessThan(40);
  }

  @Test
  void nodeIdsAreCheckedAndPrinted() {
    NodeId id = NodeKey.generate().id();
    assertThat(NodeId.fromHex(id.toHex())).isEqualTo(id);
    assertThat(NodeId.of(id.bytes()).hashCode()).isEqualTo(id.hashCode());
    assertThat(id.toString()).hasSize(16);
    assertThatThrownBy(() -> NodeId.of(new byte[64])).isInstanceOf(IllegalArgumentException.class);
  }
}
