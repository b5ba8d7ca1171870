package io.meshyauth.server.password;

import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which library computes Argon2 for {@link Argon2PasswordHasher}: libargon2 (native) where {@code crypto.native}
 * allows it and it loads, Bouncy Castle (pure Java) otherwise. Both give the same bytes, so hashes made by one
 * verify with the other.
 */
public final class Argon2Implementation {
  private static final Logger LOG = LoggerFactory.getLogger(Argon2Implementation.class);

  private final String description;
  private final IntFunction<Argon2Function> forSlot;

  Argon2Implementation(String description, IntFunction<Argon2Function> forSlot) {
    this.description = description;
    this.forSlot = forSlot;
  }

  /**
   * libargon2 when {@code nativeAllowed} and it loads here, Bouncy Castle otherwise; a library that does not load
   * is one log line and never a failed start. The library is loaded once per process.
   */
  public static Argon2Implementation choose(boolean nativeAllowed) {
    return nativeAllowed ? Auto.CHOICE : bouncyCastle("crypto.native=off");
  }

  /** As {@link #choose(boolean)}, loading the native library with {@code load}. */
  static Argon2Implementation choose(boolean nativeAllowed, Callable<NativeArgon2> load) {
    if (!nativeAllowed) {
      return bouncyCastle("crypto.native=off");
    }
    NativeArgon2 loaded;
    try {
      loaded = load.call();
    } catch (Exception | Error e) {
      if (e instanceof VirtualMachineError fatal) {
        throw fatal;
      }
      var reason = "libargon2 unavailable: " + summary(e);
      LOG.warn("Argon2id hashes with Bouncy Castle (pure Java, slower): {}", reason);
      return bouncyCastle(reason);
    }
    return new Argon2Implementation("Argon2id: " + loaded.description(), memoryKib -> loaded);
  }

  /** Bouncy Castle, each hashing slot keeping its Argon2 memory from one hash to the next. */
  public static Argon2Implementation bouncyCastle(String why) {
    return new Argon2Implementation("Argon2id: Bouncy Castle, pure Java (" + why + ")", BouncyCastleArgon2::new);
  }

  /** Which library and why, for the start-up log. */
  public String description() {
    return description;
  }

  /** The computation for one hashing slot, which may keep up to {@code memoryKib} of Argon2 memory. */
  Argon2Function forSlot(int memoryKib) {
    return forSlot.apply(memoryKib);
  }

  @Override
  public String toString() {
    return description;
  }

  /** The class, and the first line of the message (JNA's lists every path it tried). */
  private static String summary(Throwable e) {
    var message = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("").strip();
    return e.getClass().getSimpleName() + message;
  }

  /** The process's choice for crypto.native=auto, made once: a native library loads once per process. */
  private static final class Auto {
    static final Argon2Implementation CHOICE = choose(true, NativeArgon2::load);
  }
}
