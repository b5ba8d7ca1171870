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
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;

/**
 * Argon2id (RFC 9106) through Bouncy Castle. Hashes are PHC strings carrying their parameters, so a hash
 * made with older parameters still verifies after the configuration changes, as does an {@link ImportedHash} of
 * another format (bcrypt, ASP.NET Core Identity), until {@link #needsRehash} has it replaced.
 *
 * <p>Hashing is the designed cost of a login, so nothing else may add to it: at most {@code maxConcurrent}
 * hashes run at once (by default one per core), each in a slot that keeps its Argon2 memory from one hash to
 * the next. A burst of logins queues for a slot instead of thrashing the CPUs, and a login allocates nothing
 * for the garbage collector to reclaim. The memory kept is {@code memoryKib * maxConcurrent}, zeroed after
 * each use.
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
  private final BlockingQueue<HashingSlot> slots;
  /** Hashes running or waiting for a slot. */
  private final Semaphore admitted;
  private final SecureRandom random = new SecureRandom();
  private final String dummyHash;
  private final AtomicInteger waiting = new AtomicInteger();
  private final Timer waited;
  private final Counter refused;
  private final PhcHash dummy;

  public Argon2PasswordHasher(Argon2Parameters parameters) {
    this(parameters, new CompositeMeterRegistry());
  }

  public Argon2PasswordHasher(Argon2Parameters parameters, MeterRegistry meters) {
    this.parameters = parameters;
    this.slots = new ArrayBlockingQueue<>(parameters.maxConcurrent(), true);
    this.admitted = new Semaphore(parameters.maxConcurrent() + parameters.maxQueue());
    for (int i = 0; i < parameters.maxConcurrent(); i++) {
      slots.add(new HashingSlot(parameters.memoryKib()));
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
        slot.derive(secret, dummy);
        return false;
      });
    }
    var stored = ((ImportedHash.Argon2) imported).phc();
    return MessageDigest.isEqual(derive(password, stored), stored.hash());
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
    return inSlot(password, (slot, secret) -> slot.derive(secret, like));
  }

  private <T> T inSlot(Password password, SlotWork<T> work) {
    if (!admitted.tryAcquire()) {
      throw busy();
    }
    var secret = utf8(password.chars());
    HashingSlot slot = null;
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

  private HashingSlot takeSlot() throws InterruptedException {
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
    T run(HashingSlot slot, byte[] secret);
  }

  /** One hash at a time, with the Argon2 memory it keeps for the next one. */
  private static final class HashingSlot implements Argon2BytesGenerator.BlockPool {
    private final Argon2BytesGenerator.Block[] free;
    private int count;

    HashingSlot(int memoryKib) {
      // one 1 KiB block per KiB of memory; blocks beyond that (an older hash with more memory) are not kept
      this.free = new Argon2BytesGenerator.Block[memoryKib];
    }

    byte[] derive(byte[] secret, PhcHash like) {
      var generator = new Argon2BytesGenerator();
      generator.init(new org.bouncycastle.crypto.params.Argon2Parameters.Builder(like.type())
          .withVersion(like.version())
          .withMemoryAsKB(like.memoryKib())
          .withIterations(like.iterations())
          .withParallelism(like.parallelism())
          .withSalt(like.salt())
          .withBlockPool(this)
          .build());
      var out = new byte[like.hash().length];
      // zeroes the blocks and hands them back to deallocate
      generator.generateBytes(secret, out);
      return out;
    }

    @Override
    public Argon2BytesGenerator.Block allocate() {
      return count > 0 ? free[--count] : new Argon2BytesGenerator.Block();
    }

    @Override
    public void deallocate(Argon2BytesGenerator.Block block) {
      if (count < free.length) {
        free[count++] = block;
      }
    }
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

    public Argon2Parameters withMaxQueue(int value) {
      return new Argon2Parameters(memoryKib, iterations, parallelism, maxConcurrent, value);
    }
  }
}
