package io.peerflow.rlpx;

import io.peerflow.crypto.Secp256k1;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One RLPx frame sealed by one side and opened by the other (header and body, both MACs), the
 * current cipher against the Bouncy Castle one it replaced, single-threaded. In the transport's
 * package because the frame cipher is package-private.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FrameCipherBenchmark {

  @Param({"1024", "65536"})
  int size;

  private byte[] data;
  private FrameCipher sender;
  private FrameCipher receiver;
  private BouncyCastleFrameCipher oldSender;
  private BouncyCastleFrameCipher oldReceiver;

  @Setup
  public void setUp() {
    data = new byte[size];
    new SplittableRandom(1).nextBytes(data);
    SecureRandom random = new SecureRandom();
    byte[] ephemeralA = Secp256k1.generatePrivateKey(random);
    byte[] ephemeralB = Secp256k1.generatePrivateKey(random);
    byte[] nonceA = new byte[32];
    byte[] nonceB = new byte[32];
    byte[] auth = new byte[200];
    byte[] ack = new byte[200];
    random.nextBytes(nonceA);
    random.nextBytes(nonceB);
    random.nextBytes(auth);
    random.nextBytes(ack);
    NodeId a = NodeId.of(Secp256k1.publicKey(Secp256k1.generatePrivateKey(random)));
    NodeId b = NodeId.of(Secp256k1.publicKey(Secp256k1.generatePrivateKey(random)));
    Secrets initiator =
        Secrets.derive(
            true, b, ephemeralA, Secp256k1.publicKey(ephemeralB), nonceA, nonceB, auth, ack);
    Secrets recipient =
        Secrets.derive(
            false, a, ephemeralB, Secp256k1.publicKey(ephemeralA), nonceA, nonceB, auth, ack);
    sender = new FrameCipher(initiator);
    receiver = new FrameCipher(recipient);
    oldSender =
        new BouncyCastleFrameCipher(initiator.aesSecret, initiator.macSecret, mac(auth), mac(ack));
    oldReceiver =
        new BouncyCastleFrameCipher(recipient.aesSecret, recipient.macSecret, mac(ack), mac(auth));
  }

  private static KeccakDigest mac(byte[] seed) {
    KeccakDigest d = new KeccakDigest(256);
    d.update(seed, 0, seed.length);
    return d;
  }

  @Benchmark
  public byte[] bouncyCastle() {
    byte[] header = oldSender.sealHeader(size);
    byte[] body = oldSender.sealBody(data, 0, size);
    int n = oldReceiver.openHeader(header);
    oldReceiver.openBody(body, n);
    return body;
  }

  @Benchmark
  public byte[] jdkAesAndPeerflowKeccak() {
    byte[] header = sender.sealHeader(size);
    byte[] body = sender.sealBody(data, 0, size);
    int n = receiver.openHeader(header);
    return receiver.openBody(body, 0, n);
  }
}
