package io.peerflow.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MessageKindTest {

  @Test
  void ethKindsHaveTheirWireCodesAndFetchCaps() {
    assertThat(MessageKind.HEADERS.code()).isEqualTo(4);
    assertThat(MessageKind.HEADERS.maxFetch()).isEqualTo(192);
    assertThat(MessageKind.BODIES.code()).isEqualTo(6);
    assertThat(MessageKind.BODIES.maxFetch()).isEqualTo(128);
    assertThat(MessageKind.RECEIPTS.code()).isEqualTo(16);
    assertThat(MessageKind.RECEIPTS.maxFetch()).isEqualTo(256);
    assertThat(MessageKind.NODE_DATA.code()).isEqualTo(14);
    assertThat(MessageKind.NODE_DATA.maxFetch()).isEqualTo(384);
  }

  @Test
  void indicesAreDenseAndFollowDefinitionOrder() {
    for (int i = 0; i < MessageKind.all().size(); i++) {
      assertThat(MessageKind.all().get(i).index()).isEqualTo(i);
    }
    assertThat(MessageKind.all())
        .startsWith(
            MessageKind.HEADERS, MessageKind.BODIES, MessageKind.NODE_DATA, MessageKind.RECEIPTS);
  }

  @Test
  void newKindsCanBeDefinedAndLookedUpByCode() {
    MessageKind accounts = MessageKind.define("account range (test)", 0x101, 1000);
    assertThat(accounts.index()).isGreaterThanOrEqualTo(4).isLessThan(MessageKind.MAX_KINDS);
    assertThat(MessageKind.byCode(0x101)).containsSame(accounts);
    assertThat(MessageKind.byCode(4)).containsSame(MessageKind.HEADERS);
    assertThat(MessageKind.byCode(0x7777)).isEmpty();
    assertThat(accounts).hasToString("account range (test)(0x101)");
  }

  @Test
  void codesMustBeUnique() {
    assertThatThrownBy(() -> MessageKind.define("copy", 4, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("headers");
  }

  @Test
  void codesMustBeNonNegativeAndCapsPositive() {
    assertThatThrownBy(() -> MessageKind.define("bad", -1, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MessageKind.define("bad", 0x102, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
