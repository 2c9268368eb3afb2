package io.peerflow.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerflow.chain.Hash;
import io.peerflow.store.ChainStore;
import io.peerflow.store.Part;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockFileImportTest {

  static final Path FILE =
      Path.of(System.getProperty("peerflow.root", "."))
          .resolve("../shared/interop/ethereumjs/gennet-2000.rlp");
  static final Hash GENESIS =
      Hash.fromHex("0xb1ba43162fb2805cf948b1a355a3640c76bb2ab4ad6ad17a6224072d72357fab");
  static final Hash HEAD =
      Hash.fromHex("0xc40495c39559bfc401574c5c3a1adf6a1a31d96be1a20411beda0edcb58897a3");

  @TempDir Path dir;

  @Test
  void theSharedChainImportsWholeAndVerified() throws Exception {
    try (ChainStore s = ChainStore.open(dir.resolve("db"))) {
      BlockFileImport.Result r = BlockFileImport.run(FILE, s, GENESIS);
      assertThat(r.blocks()).isEqualTo(2000);
      assertThat(r.transactions()).isEqualTo(16_001);
      assertThat(r.head()).isEqualTo(HEAD);
      assertThat(s.countMissing(Part.HEADERS, 1, 2000)).isZero();
      assertThat(s.countMissing(Part.BODIES, 1, 2000)).isZero();
    }
  }

  @Test
  void theWrongNetworkIsRefusedBeforeAnythingIsStored() {
    try (ChainStore s = ChainStore.open(dir.resolve("db"))) {
      assertThatThrownBy(() -> BlockFileImport.run(FILE, s, Hash.ZERO))
          .isInstanceOf(SyncException.class)
          .hasMessageContaining("is not the network's genesis");
      assertThat(s.highestHeader()).isEmpty();
    }
  }

  @Test
  void aCorruptBlockStopsTheImportAndKeepsEveryBlockBeforeIt() throws Exception {
    byte[] data = Files.readAllBytes(FILE);
    byte[] bad = Arrays.copyOf(data, data.length);
    // Flip a byte in the last quarter of the file: inside some block's body or header.
    bad[data.length - data.length / 4] ^= 0x55;
    Path f = Files.write(dir.resolve("bad.rlp"), bad);
    try (ChainStore s = ChainStore.open(dir.resolve("db"))) {
      assertThatThrownBy(() -> BlockFileImport.run(f, s, GENESIS))
          .isInstanceOf(SyncException.class)
          .hasMessageContaining("bad.rlp");
      long top = s.highestHeader().orElseThrow();
      assertThat(top).isBetween(1000L, 1999L);
      assertThat(s.countMissing(Part.BODIES, 1, top)).isZero();
    }
  }

  @Test
  void aTruncatedFileIsAClearError() throws Exception {
    byte[] data = Files.readAllBytes(FILE);
    Path f = Files.write(dir.resolve("short.rlp"), Arrays.copyOf(data, data.length - 10));
    try (ChainStore s = ChainStore.open(dir.resolve("db"))) {
      assertThatThrownBy(() -> BlockFileImport.run(f, s, GENESIS))
          .hasMessageContaining("ends in the middle of the block");
    }
  }

  @Test
  void aNonCanonicalLengthPrefixIsAClearErrorAndTheBlocksBeforeItAreKept() throws Exception {
    // Found by BlockFileImportFuzzTest: a length prefix with a leading zero escaped the import as
    // a bare RlpException, dropping the verified blocks of the batch in progress.
    byte[] data = Files.readAllBytes(FILE);
    byte[] first = BlockFileImport.nextItem(new java.io.ByteArrayInputStream(data), 0);
    // Then a list of 56 bytes whose two-byte length starts with a zero: f9 0038 and 56 bytes.
    byte[] bad = Arrays.copyOf(first, first.length + 3 + 56);
    System.arraycopy(new byte[] {(byte) 0xf9, 0x00, 0x38}, 0, bad, first.length, 3);
    Path f = Files.write(dir.resolve("noncanonical.rlp"), bad);
    try (ChainStore s = ChainStore.open(dir.resolve("db"))) {
      assertThatThrownBy(() -> BlockFileImport.run(f, s, GENESIS))
          .isInstanceOf(SyncException.class)
          .hasMessageContaining("block at byte " + first.length + " is not canonical RLP");
      assertThat(s.highestHeader()).hasValue(1L);
    }
  }
}
