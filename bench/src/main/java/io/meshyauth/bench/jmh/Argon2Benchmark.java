package io.meshyauth.bench.jmh;

import io.meshyauth.server.values.Password;
import io.meshyauth.server.password.Argon2PasswordHasher;
import io.meshyauth.server.password.Argon2PasswordHasher.Argon2Parameters;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/** One password check at the server's default parameters (Argon2id m=19456 KiB, t=2, p=1). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class Argon2Benchmark {
  private static final String PASSWORD = "correct horse battery staple";
  private Argon2PasswordHasher hasher;
  private String hash;

  @Setup
  public void setUp() {
    hasher = new Argon2PasswordHasher(Argon2Parameters.defaults());
    try (var password = Password.of(PASSWORD)) {
      hash = hasher.hash(password);
    }
  }

  @Benchmark
  public boolean argon2idVerify() {
    try (var password = Password.of(PASSWORD)) {
      return hasher.verify(password, hash);
    }
  }

  /**
   * The same check on every core at once, as the server runs it under a login burst: the cores then share
   * the memory bandwidth that Argon2 is designed to need, and each check takes longer than alone.
   */
  @Benchmark
  @Threads(Threads.MAX)
  public boolean argon2idVerifyOnEveryCore() {
    return argon2idVerify();
  }
}
