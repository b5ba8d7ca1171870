package io.meshyauth.bench.jmh;

import io.meshyauth.server.password.Argon2Implementation;
import io.meshyauth.server.password.Argon2PasswordHasher;
import io.meshyauth.server.password.Argon2PasswordHasher.Argon2Parameters;
import io.meshyauth.server.values.Password;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * One password check at the server's default parameters (Argon2id m=19456 KiB, t=2, p=1) or Keycloak's (m=7168 KiB,
 * t=5, p=1), through libsodium ({@code crypto.native=auto}), libargon2 (each failing where it does not load) or
 * Bouncy Castle ({@code off}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class Argon2Benchmark {
  private static final String PASSWORD = "correct horse battery staple";

  @Param({"sodium", "libargon2", "bouncy-castle"})
  public String implementation;

  @Param({"default", "keycloak"})
  public String parameters;

  private Argon2PasswordHasher hasher;
  private String hash;

  @Setup
  public void setUp() {
    var chosen = switch (implementation) {
      case "sodium" -> Argon2Implementation.choose(true);
      case "libargon2" -> Argon2Implementation.libargon2();
      default -> Argon2Implementation.choose(false);
    };
    if (implementation.equals("sodium") && !chosen.description().startsWith("Argon2id: libsodium")) {
      throw new IllegalStateException("no libsodium here: " + chosen.description());
    }
    var cost = parameters.equals("keycloak") ? new Argon2Parameters(7168, 5, 1) : Argon2Parameters.defaults();
    // a slot per core, so that the benchmark on every core is not queued by the server's default of cores less one
    hasher = new Argon2PasswordHasher(new Argon2Parameters(cost.memoryKib(), cost.iterations(), cost.parallelism(),
        Runtime.getRuntime().availableProcessors()), chosen);
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
