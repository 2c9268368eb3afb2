package io.peerflow.bench;

import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.CTRModeCipher;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * AES-256-CTR over one frame's worth of bytes, as RLPx encrypts frames: the JDK's cipher (AES-NI)
 * against Bouncy Castle's pure-Java engine, single-threaded, into a separate output array.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AesCtrBenchmark {

  @Param({"65536"})
  int size;

  private byte[] in;
  private byte[] out;
  private CTRModeCipher bouncyCastle;
  private Cipher jdk;

  @Setup
  public void setUp() throws GeneralSecurityException {
    in = new byte[size];
    out = new byte[size];
    byte[] key = new byte[32];
    key[0] = 1;
    bouncyCastle = SICBlockCipher.newInstance(AESEngine.newInstance());
    bouncyCastle.init(true, new ParametersWithIV(new KeyParameter(key), new byte[16]));
    jdk = Cipher.getInstance("AES/CTR/NoPadding");
    jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
  }

  @Benchmark
  public byte[] bouncyCastle() {
    bouncyCastle.processBytes(in, 0, size, out, 0);
    return out;
  }

  @Benchmark
  public byte[] jdk() throws ShortBufferException {
    jdk.update(in, 0, size, out, 0);
    return out;
  }
}
