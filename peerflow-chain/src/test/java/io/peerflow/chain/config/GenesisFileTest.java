package io.peerflow.chain.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerflow.chain.Hash;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GenesisFileTest {

  static final Path GENNET =
      Path.of(System.getProperty("peerflow.root", "."))
          .resolve("../shared/interop/ethereumjs/gennet.json");

  @Test
  void theSharedCliqueGenesisGivesTheHashItsClientReports() {
    ChainConfig c = GenesisFile.parse(GENNET);
    assertThat(c.genesisHash())
        .isEqualTo(
            Hash.fromHex("0xb1ba43162fb2805cf948b1a355a3640c76bb2ab4ad6ad17a6224072d72357fab"));
    assertThat(c.networkId()).isEqualTo(1337);
    assertThat(c.genesisHeader()).isPresent();
    assertThat(c.isLondon(0)).isTrue();
    assertThat(c.isShanghai(Long.MAX_VALUE)).isFalse();
  }

  @Test
  void goEthereumsConformanceGenesisWithContractStorageGivesTheHashGethComputes() {
    // Its accounts hold code and storage slots of one small byte: the storage tries' leaves are
    // long enough to be hashed while their values are their own encoding.
    ChainConfig c =
        GenesisFile.parse(
            Path.of(System.getProperty("peerflow.root", "."))
                .resolve("../shared/geth-ethtest/genesis.json"));
    assertThat(c.genesisHash())
        .isEqualTo(
            Hash.fromHex("0xbd6a252af394d80904c5993b859574bd4669642cea00a116970ec7887db67533"));
  }

  @Test
  void namedResolvesBuiltInsAndFilesAndExplainsTheChoicesOtherwise() {
    assertThat(ChainConfig.named("Sepolia")).isSameAs(ChainConfig.SEPOLIA);
    assertThat(ChainConfig.named(GENNET.toString()).networkId()).isEqualTo(1337);
    assertThatThrownBy(() -> ChainConfig.named("goerli"))
        .hasMessageContaining("expected mainnet, sepolia, hoodi or a genesis JSON file");
  }

  @Test
  void aPostPragueGenesisCarriesEveryForksFields() {
    String json =
        "{\"config\":{\"chainId\":7,\"londonBlock\":0,\"shanghaiTime\":0,\"cancunTime\":0,"
            + "\"pragueTime\":0,\"osakaTime\":99},\"gasLimit\":\"0x1c9c380\",\"difficulty\":\"0x0\","
            + "\"alloc\":{\"0x0000000000000000000000000000000000000001\":{\"balance\":\"1\","
            + "\"storage\":{\"0x01\":\"0x02\"}}}}";
    ChainConfig c = GenesisFile.parse(json, "t");
    var h = c.genesisHeader().orElseThrow();
    assertThat(h.baseFee()).isEqualTo(GenesisFile.INITIAL_BASE_FEE);
    assertThat(h.withdrawalsRoot()).isNotNull();
    assertThat(h.blobGasUsed()).isZero();
    assertThat(h.parentBeaconRoot()).isEqualTo(Hash.ZERO);
    assertThat(h.requestsHash())
        .isEqualTo(
            Hash.fromHex("0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    assertThat(c.timeForks()).containsExactly(99L);
  }

  @Test
  void malformedFilesNameTheField() {
    assertThatThrownBy(() -> GenesisFile.parse("{\"config\":{}}", "t"))
        .hasMessageContaining("chainId");
    assertThatThrownBy(
            () -> GenesisFile.parse("{\"config\":{\"chainId\":1},\"gasLimit\":\"zz\"}", "t"))
        .hasMessageContaining("gasLimit");
    assertThatThrownBy(() -> GenesisFile.parse("[", "t")).hasMessageContaining("not valid JSON");
  }
}
