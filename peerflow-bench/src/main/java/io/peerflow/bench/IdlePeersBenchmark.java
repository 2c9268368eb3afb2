package io.peerflow.bench;

import io.peerflow.peers.IdlePeers;
import io.peerflow.peers.MessageKind;
import io.peerflow.peers.PeerConnection;
import io.peerflow.peers.PeerSet;
import io.peerflow.peers.SilentPeer;
import io.peerflow.time.VirtualTime;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Choosing where to send work: the idle peers of one kind in a version range, ranked by capacity.
 * Peers have spread-out capacities, three protocol versions, and a quarter of them are busy.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class IdlePeersBenchmark {

  @Param({"50", "500", "5000"})
  public int peers;

  private PeerSet set;

  @Setup
  public void setUp() {
    VirtualTime time = new VirtualTime();
    set = new PeerSet(time);
    SplittableRandom rnd = new SplittableRandom(42);
    for (int i = 0; i < peers; i++) {
      PeerConnection p = set.register(new SilentPeer("peer-" + i), 66 + rnd.nextInt(3));
      set.trackers().update(p.id(), 4, 1 + rnd.nextLong(5_000_000_000L), 1 + rnd.nextInt(2000));
      if (rnd.nextInt(4) == 0) {
        p.fetchHeaders(0, 1);
      }
    }
  }

  @Benchmark
  public IdlePeers idleHeaderPeers() {
    return set.idlePeers(MessageKind.HEADERS, 66, 67);
  }
}
