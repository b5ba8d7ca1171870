package io.meshyauth.server.password;

import com.password4j.Argon2Function;
import com.password4j.SecureString;
import com.password4j.types.Argon2;
import io.meshyauth.server.oauth.Password;
import java.security.SecureRandom;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Argon2id (RFC 9106) through password4j. Hashes are PHC strings carrying their parameters, so a hash
 * made with older parameters still verifies after the configuration changes.
 */
public final class Argon2PasswordHasher implements PasswordHasher {
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;

  private final Argon2Function function;
  private final Semaphore permits;
  private final String hashPrefix;
  private final String dummyHash;

  public Argon2PasswordHasher(Argon2Parameters parameters) {
    this.function = Argon2Function.getInstance(parameters.memoryKib(), parameters.iterations(),
        parameters.parallelism(), HASH_BYTES, Argon2.ID, Argon2Function.ARGON2_VERSION_13);
    this.permits = new Semaphore(parameters.maxConcurrent(), true);
    // PHC string format: $argon2id$v=19$m=<KiB>,t=<iterations>,p=<parallelism>$<salt>$<hash>
    this.hashPrefix = "$argon2id$v=19$m=" + parameters.memoryKib() + ",t=" + parameters.iterations() + ",p="
        + parameters.parallelism() + "$";
    var random = new char[24];
    var rng = new SecureRandom();
    for (int i = 0; i < random.length; i++) {
      random[i] = (char) ('a' + rng.nextInt(26));
    }
    try (var unguessable = Password.of(new String(random))) {
      this.dummyHash = hash(unguessable);
    }
  }

  @Override
  public String hash(Password password) {
    return bounded(() -> com.password4j.Password.hash(new SecureString(password.chars()))
        .addRandomSalt(SALT_BYTES)
        .with(function)
        .getResult());
  }

  @Override
  public boolean verify(Password password, String storedHash) {
    return bounded(() -> com.password4j.Password.check(new SecureString(password.chars()), storedHash)
        .with(Argon2Function.getInstanceFromHash(storedHash)));
  }

  /**
   * Hashing is the designed cost: at most {@code maxConcurrent} hashes run at once (by default one per core),
   * so a burst of logins queues instead of thrashing the CPUs and allocating their memory cost all at once.
   */
  private <T> T bounded(Supplier<T> hashing) {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to hash", e);
    }
    try {
      return hashing.get();
    } finally {
      permits.release();
    }
  }

  @Override
  public boolean needsRehash(String storedHash) {
    return !storedHash.startsWith(hashPrefix);
  }

  @Override
  public void verifyAgainstDummy(Password password) {
    verify(password, dummyHash);
  }

  /**
   * Argon2id cost parameters (the defaults follow OWASP's password storage recommendation) and how many
   * hashes may run at once.
   */
  public record Argon2Parameters(int memoryKib, int iterations, int parallelism, int maxConcurrent) {
    public static Argon2Parameters defaults() {
      return new Argon2Parameters(19_456, 2, 1);
    }

    /** As many hashes at once as there are cores. */
    public Argon2Parameters(int memoryKib, int iterations, int parallelism) {
      this(memoryKib, iterations, parallelism, Runtime.getRuntime().availableProcessors());
    }

    public Argon2Parameters {
      if (memoryKib < 8 * parallelism || iterations < 1 || parallelism < 1 || maxConcurrent < 1) {
        throw new IllegalArgumentException("invalid Argon2 parameters: m=" + memoryKib + " KiB, t=" + iterations
            + ", p=" + parallelism + ", at most " + maxConcurrent + " at once");
      }
    }
  }
}
