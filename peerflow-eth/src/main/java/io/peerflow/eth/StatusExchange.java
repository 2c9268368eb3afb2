package io.peerflow.eth;

import io.peerflow.chain.block.BlockHeader;
import io.peerflow.eth.forkid.ForkSchedule;
import io.peerflow.eth.wire.Status;
import io.peerflow.rlpx.DisconnectReason;
import io.peerflow.time.Timer;
import java.time.Duration;
import java.util.Optional;

/**
 * The Status handshake of one eth connection: the peer's Status must arrive within a deadline and
 * agree with ours on version, network, genesis and fork id, or the connection is refused with a
 * reason that names both sides.
 *
 * <p>The deadline runs on the injected {@link Timer}; {@link #judge} is a pure check. Thread-safe:
 * the timer's task and the connection's event loop only meet in {@link Timer.Timeout#cancel}.
 */
final class StatusExchange {

  /** Why a peer's Status was not accepted, and the disconnect reason that tells it so. */
  record Refusal(DisconnectReason reason, String why) {}

  private final Timer.Timeout deadline;

  /**
   * Starts the deadline: {@code onTimeout} gets the refusal if no Status has been judged within
   * {@code timeout}.
   */
  StatusExchange(Timer timer, Duration timeout, java.util.function.Consumer<Refusal> onTimeout) {
    this.deadline =
        timer.schedule(
            timeout.toNanos(),
            () ->
                onTimeout.accept(
                    new Refusal(
                        DisconnectReason.PING_TIMEOUT,
                        "no Status within " + timeout.toSeconds() + " s")));
  }

  /** Stops the deadline: the Status came, or the connection ended. */
  void stop() {
    deadline.cancel();
  }

  /**
   * Why {@code theirs} is refused on an eth/{@code version} connection by a node that sends {@code
   * ours}, has {@code head} and is on chain {@code chainName} with fork schedule {@code forks};
   * empty when the peer is on our chain.
   */
  static Optional<Refusal> judge(
      int version,
      Status theirs,
      Status ours,
      String chainName,
      ForkSchedule forks,
      BlockHeader head) {
    if (theirs.version() != version) {
      return refuse(
          DisconnectReason.PROTOCOL_ERROR,
          "Status says eth/" + theirs.version() + " on an eth/" + version + " connection");
    }
    if (theirs.networkId() != ours.networkId()) {
      return refuse(
          DisconnectReason.USELESS_PEER,
          "network mismatch: peer is on network "
              + theirs.networkId()
              + ", we are on "
              + ours.networkId()
              + " ("
              + chainName
              + ")");
    }
    if (!theirs.genesis().equals(ours.genesis())) {
      return refuse(
          DisconnectReason.USELESS_PEER,
          "genesis mismatch: peer has "
              + theirs.genesis().toHex()
              + ", we have "
              + ours.genesis().toHex()
              + " ("
              + chainName
              + ")");
    }
    long number = head == null ? 0 : head.number();
    long time = head == null ? 0 : head.timestamp();
    Optional<String> bad = forks.validate(theirs.forkId(), number, time);
    if (bad.isPresent()) {
      return refuse(DisconnectReason.USELESS_PEER, "fork id rejected: " + bad.get());
    }
    return Optional.empty();
  }

  private static Optional<Refusal> refuse(DisconnectReason reason, String why) {
    return Optional.of(new Refusal(reason, why));
  }
}
