package io.peerflow.chain.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerflow.chain.Hash;
import io.peerflow.chain.block.BlockHeader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainConfigTest {

  @Test
  void everyBuiltInNetworkKnowsItsGenesisHeaderAndItHashesToTheKnownHash() {
    for (ChainConfig c : List.of(ChainConfig.MAINNET, ChainConfig.SEPOLIA, ChainConfig.HOODI)) {
      BlockHeader g = c.genesisHeader().orElseThrow();
      assertThat(g.number()).as(c.name()).isZero();
      assertThat(g.hash()).as(c.name()).isEqualTo(c.genesisHash());
    }
  }

  @Test
  void mainnetsGenesisIsTheFrontierBlockEveryClientKnows() {
    BlockHeader g = ChainConfig.MAINNET.genesisHeader().orElseThrow();
    assertThat(g.difficulty()).isEqualTo(BigInteger.valueOf(17_179_869_184L));
    assertThat(g.gasLimit()).isEqualTo(5000);
    assertThat(g.timestamp()).isZero();
    assertThat(g.stateRoot())
        .isEqualTo(
            Hash.fromHex("0xd7f8974fb5ac78d9ac099b9ad5018bedc2ce0a72dad1827a1709da30580f0544"));
    assertThat(g.baseFee()).isNull();
  }

  @Test
  void sepoliaAndHoodiGenesesFollowTheRulesOfTheirFirstForks() {
    BlockHeader sepolia = ChainConfig.SEPOLIA.genesisHeader().orElseThrow();
    assertThat(new String(sepolia.extraData(), StandardCharsets.US_ASCII))
        .isEqualTo("Sepolia, Athens, Attica, Greece!");
    assertThat(sepolia.baseFee()).isEqualTo(BigInteger.valueOf(1_000_000_000L));
    assertThat(sepolia.withdrawalsRoot()).isNull();
    BlockHeader hoodi = ChainConfig.HOODI.genesisHeader().orElseThrow();
    assertThat(hoodi.timestamp()).isEqualTo(1_742_212_800L);
    assertThat(hoodi.withdrawalsRoot()).isNotNull();
    assertThat(hoodi.parentBeaconRoot()).isNotNull();
    assertThat(hoodi.requestsHash()).isNull();
  }

  @Test
  void aGenesisHeaderThatDoesNotHashToTheGenesisHashIsRefused() {
    BlockHeader sepolia = ChainConfig.SEPOLIA.genesisHeader().orElseThrow();
    assertThatThrownBy(
            () ->
                new ChainConfig(
                    "broken",
                    1,
                    1,
                    ChainConfig.MAINNET.genesisHash(),
                    sepolia,
                    List.of(),
                    List.of(),
                    null,
                    null,
                    null,
                    null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("broken: genesis header hashes to " + sepolia.hash().toHex());
  }

  @Test
  void anEmbeddedHeaderOfTheWrongNetworkFailsLoudly() {
    assertThatThrownBy(
            () ->
                BuiltInGenesis.header(
                    "mainnet", BuiltInGenesis.SEPOLIA, ChainConfig.MAINNET.genesisHash()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("built-in mainnet genesis header (block 0) hashes to 0x25a5cc10");
  }
}
