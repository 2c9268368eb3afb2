package io.peerflow.peers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PeerExceptionTest {

  @Test
  void messagesAreExactlyGoEthereumsErrorTexts() {
    assertThat(new PeerException(PeerException.Reason.ALREADY_REGISTERED))
        .hasMessage("already registered");
    assertThat(new PeerException(PeerException.Reason.NOT_REGISTERED)).hasMessage("not registered");
    assertThat(new PeerException(PeerException.Reason.ALREADY_FETCHING))
        .hasMessage("already fetching");
  }

  @Test
  void carriesItsReasonAndNoStackTrace() {
    PeerException e = new PeerException(PeerException.Reason.ALREADY_FETCHING);
    assertThat(e.reason()).isEqualTo(PeerException.Reason.ALREADY_FETCHING);
    assertThat(e.getStackTrace()).isEmpty();
  }
}
