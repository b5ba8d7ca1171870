package io.meshyauth.server.password;

import io.meshyauth.server.values.Password;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Argon2id (RFC 9106), computed by libsodium, libargon2 or Bouncy Castle ({@link Argon2Implementation}). Hashes
 * are PHC strings carrying their parameters, so a hash made with older parameters still verifies after the
 * configuration changes, as does an {@link ImportedHash} of another format (bcrypt, ASP.NET Core Identity), until
 * {@link #needsRehash} has it replaced.
 *
 * <p>Hashing is the designed cost of a login, so nothing else may add to it: at most {@code maxConcurrent}
 * hashes run at once (by default one per core but one), each in a hashing slot. A burst of logins queues for a slot
 * instead of thrashing the CPUs, and the Argon2 memory in use is at most {@code memoryKib * maxConcurrent}. With
 * Bouncy Castle each slot keeps that memory from one hash to the next, zeroed after each, so that a login allocates
 * nothing for the garbage collector to reclaim; libsodium and libargon2 allocate it outside the Java heap for each
 * hash and free it after (libargon2 zeroes it first; libsodium unmaps it).
 *
 * <p>The queue is bounded too: at most {@code maxQueue} hashes wait for a slot. One more is refused at once
 * with {@link HashingBusyException}, so a login flood can neither pile up memory nor hold more than
 * {@code maxConcurrent + maxQueue} request threads, and the threads that serve refreshes stay free.
 *
 * <p>Its meters: hashes waiting for a slot and running, how long each waited, and how many were refused.
 */
public final class Argon2PasswordHasher implements PasswordHasher {
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;

  private final Argon2Parameters parameters;
  private final Argon2Implementation implementation;
  private final BlockingQueue<Argon2Function> slots;
  /** Hashes running or waiting for a slot. */
  private final Semaphore admitted;
  private final SecureRandom random = new SecureRandom();
  private final String dummyHash;
  private final AtomicInteger waiting = new AtomicInteger();
  private final Timer waited;
  private final Counter refused;
  private final PhcHash dummy;

  /** With the library {@code crypto.native=auto} chooses. */
  public Argon2PasswordHasher(Argon2Parameters parameters) {
    this(parameters, Argon2Implementation.choose(true));
  }

  public Argon2PasswordHasher(Argon2Parameters parameters, Argon2Implementation implementation) {
    this(parameters, implementation, new CompositeMeterRegistry());
  }

  public Argon2PasswordHasher(Argon2Parameters parameters, Argon2Implementation implementation,
      MeterRegistry meters) {
    this.parameters = parameters;
    this.implementation = implementation;
    this.slots = new ArrayBlockingQueue<>(parameters.maxConcurrent(), true);
    this.admitted = new Semaphore(parameters.maxConcurrent() + parameters.maxQueue());
    for (int i = 0; i < parameters.maxConcurrent(); i++) {
      slots.add(implementation.forSlot(parameters.memoryKib()));
    }
    // a hash no password matches, with the configured parameters: checking against it costs what checking a
    // user's password costs, and making it costs nothing at start
    var unguessable = new byte[SALT_BYTES];
    random.nextBytes(unguessable);
    this.dummyHash = new PhcHash(PhcHash.ARGON2ID, PhcHash.VERSION_13, parameters.memoryKib(),
        parameters.iterations(), parameters.parallelism(), unguessable, new byte[HASH_BYTES]).encode();
    Gauge.builder("meshy.password.hashing.queue", waiting, AtomicInteger::get)
        .description("Password hashes waiting for a hashing slot").register(meters);
    Gauge.builder("meshy.password.hashing.active", slots, free -> parameters.maxConcurrent() - free.size())
        .description("Password hashes running").register(meters);
    this.waited = Timer.builder("meshy.password.hashing.wait")
        .description("How long each password hash waited for a hashing slot")
        .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5))
        .register(meters);
    this.refused = Counter.builder("meshy.password.hashing.refused")
        .description("Password hashes refused because the hashing queue was full (answered 503)").register(meters);
    this.dummy = PhcHash.parse(dummyHash);
  }

  @Override
  public String hash(Password password) {
    var salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    var target = new PhcHash(PhcHash.ARGON2ID, PhcHash.VERSION_13, parameters.memoryKib(), parameters.iterations(),
        parameters.parallelism(), salt, new byte[HASH_BYTES]);
    var hash = derive(password, target);
    return target.withHash(hash).encode();
  }

  @Override
  public boolean verify(Password password, String storedHash) {
    var imported = ImportedHash.parse(storedHash)
        .orElseThrow(() -> new IllegalStateException("a stored password hash is in no known format"));
    if (imported instanceof ImportedHash.Legacy legacy) {
      // in a hashing slot like any check, so that a flood of them queues
      return inSlot(password, (slot, secret) -> {
        if (legacy.matches(password)) {
          return true;
        }
        // what a wrong password costs for an unknown user, on top: the two differ by the legacy check alone
        slot.hash(secret, dummy);
        return false;
      });
    }
    var stored = ((ImportedHash.Argon2) imported).phc();
    return MessageDigest.isEqual(derive(password, stored), stored.hash());
  }

  /** Which library computes Argon2 and why, for the start-up log. */
  public String description() {
    return implementation.description();
  }

  @Override
  public boolean needsRehash(String storedHash) {
    return PhcHash.tryParse(storedHash)
        .map(stored -> stored.type() != PhcHash.ARGON2ID || stored.version() != PhcHash.VERSION_13
            || stored.memoryKib() != parameters.memoryKib() || stored.iterations() != parameters.iterations()
            || stored.parallelism() != parameters.parallelism() || stored.hash().length != HASH_BYTES)
        .orElse(true);
  }

  @Override
  public void verifyAgainstDummy(Password password) {
    verify(password, dummyHash);
  }

  @Override
  public void requireRoom() {
    if (admitted.availablePermits() == 0) {
      throw busy();
    }
  }

  private HashingBusyException busy() {
    refused.increment();
    return new HashingBusyException(parameters.maxConcurrent(), parameters.maxQueue());
  }

  private byte[] derive(Password password, PhcHash like) {
    return inSlot(password, (slot, secret) -> slot.hash(secret, like));
  }

  private <T> T inSlot(Password password, SlotWork<T> work) {
    if (!admitted.tryAcquire()) {
      throw busy();
    }
    var secret = utf8(password.chars());
    Argon2Function slot = null;
    try {
      slot = takeSlot();
      return work.run(slot, secret);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to hash", e);
    } finally {
      Arrays.fill(secret, (byte) 0);
      if (slot != null) {
        slots.add(slot);
      }
      admitted.release();
    }
  }

  private Argon2Function takeSlot() throws InterruptedException {
    long start = System.nanoTime();
    waiting.incrementAndGet();
    try {
      return slots.take();
    } finally {
      waiting.decrementAndGet();
      waited.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  /** Encodes without a String, so the only copy of the password's bytes is the one wiped after hashing. */
  private static byte[] utf8(char[] chars) {
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
    var bytes = new byte[encoded.remaining()];
    encoded.get(bytes);
    if (encoded.hasArray()) {
      Arrays.fill(encoded.array(), (byte) 0);
    }
    return bytes;
  }

  @FunctionalInterface
  private interface SlotWork<T> {
    T run(Argon2Function slot, byte[] secret);
  }

  /**
   * Argon2id cost parameters (the defaults follow OWASP's password storage recommendation), how many hashes
   * may run at once and how many may wait for their turn.
   */
  public record Argon2Parameters(int memoryKib, int iterations, int parallelism, int maxConcurrent, int maxQueue) {
    /** Hashes that may wait for a slot unless configured otherwise: about a second of work on two cores. */
    public static final int DEFAULT_MAX_QUEUE = 64;

    public static Argon2Parameters defaults() {
      return new Argon2Parameters(19_456, 2, 1);
    }

    /**
     * One hash at a time per core but one: a login flood then leaves a core for everything else (refreshes kept
     * 74% of their throughput beside a flood at ten times the hashing capacity on two cores, against 26% with a
     * hash on every core; {@code bench/run --defences}).
     */
    public Argon2Parameters(int memoryKib, int iterations, int parallelism) {
      this(memoryKib, iterations, parallelism, Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
    }

    public Argon2Parameters(int memoryKib, int iterations, int parallelism, int maxConcurrent) {
      this(memoryKib, iterations, parallelism, maxConcurrent, DEFAULT_MAX_QUEUE);
    }

    public Argon2Parameters {
      if (memoryKib < 8 * parallelism || iterations < 1 || parallelism < 1 || maxConcurrent < 1 || maxQueue < 0) {
        throw new IllegalArgumentException("invalid Argon2 parameters: m=" + memoryKib + " KiB, t=" + iterations
            + ", p=" + parallelism + ", at most " + maxConcurrent + " at once and " + maxQueue + " waiting");
      }
    }
  }
}
