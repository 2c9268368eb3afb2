package io.peerflow.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.peerflow.chain.block.Block;
import io.peerflow.rlp.RlpException;
import io.peerflow.testkit.FuzzCorpus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the reading of a block file as {@link BlockFileImport} does it: items are split off by
 * {@link BlockFileImport#nextItem}, which returns a whole item, null at the end, or refuses the
 * file with a {@link SyncException} (which the import reports with the file's name, after storing
 * every block before the bad one); each item is then decoded as a block or refused with an {@link
 * RlpException}, which the import turns into a SyncException too. Items read back to back are the
 * file itself.
 */
class BlockFileImportFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void readsAnyFileBlockByBlockOrRefusesIt(byte[] file) throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(file);
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    while (true) {
      byte[] item;
      try {
        item = BlockFileImport.nextItem(in, read.size());
      } catch (SyncException refused) {
        return;
      }
      if (item == null) {
        break;
      }
      read.writeBytes(item);
      try {
        Block.decode(item);
      } catch (RlpException refused) {
        return;
      }
    }
    assertThat(read.toByteArray()).isEqualTo(file);
  }

  @Test
  void committedCorpusHoldsTheSeeds() throws IOException {
    byte[] chain = Files.readAllBytes(BlockFileImportTest.FILE);
    ByteArrayInputStream in = new ByteArrayInputStream(chain);
    byte[] first = BlockFileImport.nextItem(in, 0);
    byte[] second = BlockFileImport.nextItem(in, first.length);
    byte[] two = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, two, first.length, second.length);
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    seeds.put("two-blocks", two);
    seeds.put("one-block-then-a-cut", Arrays.copyOf(two, first.length + 20));
    seeds.put("declares-more-than-a-block-can-have", HexFormat.of().parseHex("fbffffffff00"));
    seeds.put("not-a-long-list", HexFormat.of().parseHex("c3010203"));
    FuzzCorpus.checkSeeds(
        BlockFileImportFuzzTest.class, "readsAnyFileBlockByBlockOrRefusesIt", seeds);
  }
}
