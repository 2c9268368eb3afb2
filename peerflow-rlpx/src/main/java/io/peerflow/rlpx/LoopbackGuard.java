package io.peerflow.rlpx;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Locale;

/**
 * Refuses traffic to any address beyond loopback when {@code PEERFLOW_LOOPBACK_ONLY=1} is set: the
 * one check every TCP dial, UDP send and DNS query passes before anything leaves the process.
 * Immutable and thread-safe.
 *
 * <p>Tests, CI and the benchmarks' child processes set the variable, so that nothing they run can
 * reach a real network even if a bootnode list or a peer's answer names a public address. Host
 * names are refused under the guard (except {@code localhost}) rather than resolved, because
 * resolving one is itself a query that may leave the machine.
 */
public final class LoopbackGuard {

  /** The environment variable that turns the guard on when it is {@code 1}. */
  public static final String VARIABLE = "PEERFLOW_LOOPBACK_ONLY";

  /** The guard as this process's environment sets it. */
  public static final LoopbackGuard ENVIRONMENT =
      new LoopbackGuard("1".equals(System.getenv(VARIABLE)));

  /** A guard that lets everything through. */
  public static final LoopbackGuard OFF = new LoopbackGuard(false);

  /** A guard that refuses everything but loopback, whatever the environment says. */
  public static final LoopbackGuard ON = new LoopbackGuard(true);

  private final boolean enabled;

  private LoopbackGuard(boolean enabled) {
    this.enabled = enabled;
  }

  /** Whether this guard refuses non-loopback destinations. */
  public boolean enabled() {
    return enabled;
  }

  /**
   * Returns normally if {@code target} may be reached; {@code what} names the kind of traffic
   * ("dial", "UDP send", "DNS query") in the refusal.
   *
   * @throws Refused if the guard is on and the target is not a loopback address
   */
  public void check(InetSocketAddress target, String what) throws Refused {
    if (!enabled || isLoopback(target)) {
      return;
    }
    throw new Refused(
        VARIABLE
            + "=1: refusing "
            + what
            + " to "
            + (target.isUnresolved() ? target.getHostString() + ":" + target.getPort() : target)
            + ", not a loopback address");
  }

  private static boolean isLoopback(InetSocketAddress target) {
    if (target.isUnresolved()) {
      return target.getHostString().toLowerCase(Locale.ROOT).equals("localhost");
    }
    InetAddress address = target.getAddress();
    return address.isLoopbackAddress();
  }

  /** Traffic the guard refused; nothing was sent. */
  public static final class Refused extends SocketException {
    Refused(String message) {
      super(message);
    }
  }
}
