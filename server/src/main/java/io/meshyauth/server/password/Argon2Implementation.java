package io.meshyauth.server.password;

import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which library computes Argon2 for {@link Argon2PasswordHasher} where {@code crypto.native} allows native code:
 * libsodium for the hashes it takes (Argon2id v1.3 with one lane and a 16-byte salt: every hash the server makes at
 * {@code argon2.parallelism=1}), libargon2 for any other, and Bouncy Castle (pure Java) for what no native library
 * that loads can compute. All give the same bytes, so hashes made by one verify with the others.
 */
public final class Argon2Implementation {
  private static final Logger LOG = LoggerFactory.getLogger(Argon2Implementation.class);

  /** A library that computes Argon2: what the choice is, apart from the platform details of its description. */
  public enum Library {
    LIBSODIUM, LIBARGON2, BOUNCY_CASTLE,
    /** Anything a test supplies. */
    OTHER
  }

  /**
   * Which library computes the server's own hashes (Argon2id at {@code argon2.parallelism=1}), and which computes
   * every other Argon2 hash (other parameters, imported hashes).
   */
  public record Choice(Library argon2id, Library otherParameters) {
  }

  private final String description;
  private final Choice choice;
  private final IntFunction<Argon2Function> forSlot;

  Argon2Implementation(String description, IntFunction<Argon2Function> forSlot) {
    this(description, new Choice(Library.OTHER, Library.OTHER), forSlot);
  }

  private Argon2Implementation(String description, Choice choice, IntFunction<Argon2Function> forSlot) {
    this.description = description;
    this.choice = choice;
    this.forSlot = forSlot;
  }

  /**
   * libsodium and libargon2 when {@code nativeAllowed} and they load here, Bouncy Castle in their place otherwise;
   * a library that does not load is a log line and never a failed start. The libraries are loaded once per process.
   */
  public static Argon2Implementation choose(boolean nativeAllowed) {
    return nativeAllowed ? Auto.CHOICE : bouncyCastle("crypto.native=off");
  }

  /** As {@link #choose(boolean)}, loading the native libraries with {@code sodium} and {@code libargon2}. */
  static Argon2Implementation choose(boolean nativeAllowed, Callable<SodiumArgon2> sodium,
      Callable<NativeArgon2> libargon2) {
    if (!nativeAllowed) {
      return bouncyCastle("crypto.native=off");
    }
    var sodiumLoaded = load("libsodium", sodium);
    var libargon2Loaded = load("libargon2", libargon2);
    // what computes the hashes libsodium does not take, and all of them where it does not load
    var restLibrary = libargon2Loaded.library() == null ? Library.BOUNCY_CASTLE : Library.LIBARGON2;
    var rest = libargon2Loaded.library() == null
        ? new Argon2Implementation("Bouncy Castle, pure Java", new Choice(restLibrary, restLibrary),
            BouncyCastleArgon2::new)
        : new Argon2Implementation(libargon2Loaded.library().description(), new Choice(restLibrary, restLibrary),
            memoryKib -> libargon2Loaded.library());
    var first = sodiumLoaded.library();
    if (first == null) {
      var reasons = libargon2Loaded.library() == null
          ? sodiumLoaded.reason() + "; " + libargon2Loaded.reason() : sodiumLoaded.reason();
      LOG.warn("Argon2id hashes with {} (slower than libsodium): {}", rest.description, reasons);
      return new Argon2Implementation("Argon2id: " + rest.description + " (" + reasons + ")", rest.choice,
          rest.forSlot);
    }
    var others = rest.description;
    if (libargon2Loaded.library() == null) {
      LOG.warn("Argon2 hashes that libsodium does not take use {} (slower): {}", rest.description,
          libargon2Loaded.reason());
      others += " (" + libargon2Loaded.reason() + ")";
    }
    return new Argon2Implementation("Argon2id: " + first.description() + "; other Argon2 parameters: " + others,
        new Choice(Library.LIBSODIUM, restLibrary), memoryKib -> first.before(rest.forSlot(memoryKib)));
  }

  /** libargon2 for every hash, where it loads (a {@link LinkageError} otherwise): for comparing the libraries. */
  public static Argon2Implementation libargon2() {
    var loaded = NativeArgon2.load();
    return new Argon2Implementation("Argon2id: " + loaded.description(),
        new Choice(Library.LIBARGON2, Library.LIBARGON2), memoryKib -> loaded);
  }

  /** Bouncy Castle, each hashing slot keeping its Argon2 memory from one hash to the next. */
  public static Argon2Implementation bouncyCastle(String why) {
    return new Argon2Implementation("Argon2id: Bouncy Castle, pure Java (" + why + ")",
        new Choice(Library.BOUNCY_CASTLE, Library.BOUNCY_CASTLE), BouncyCastleArgon2::new);
  }

  /** Which library computes which hashes: what tests and code compare, where the description varies by machine. */
  public Choice choice() {
    return choice;
  }

  /** Which library and why, for the start-up log; it names the instruction set libsodium picked on this CPU. */
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

  /** The library {@code load} gives, or why there is none. */
  private static <T> Loaded<T> load(String name, Callable<T> load) {
    try {
      return new Loaded<>(load.call(), null);
    } catch (Exception | Error e) {
      if (e instanceof VirtualMachineError fatal) {
        throw fatal;
      }
      return new Loaded<>(null, name + " unavailable: " + summary(e));
    }
  }

  /** A library, or the reason it did not load. */
  private record Loaded<T>(T library, String reason) {
  }

  /** The class, and the first line of the message (JNA's lists every path it tried). */
  private static String summary(Throwable e) {
    var message = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("").strip();
    return e.getClass().getSimpleName() + message;
  }

  /** The process's choice for crypto.native=auto, made once: native libraries load once per process. */
  private static final class Auto {
    static final Argon2Implementation CHOICE = choose(true, SodiumArgon2::load, NativeArgon2::load);
  }
}
