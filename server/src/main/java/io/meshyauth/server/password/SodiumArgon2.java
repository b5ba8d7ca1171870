package io.meshyauth.server.password;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

/**
 * Argon2id in libsodium ({@code crypto_pwhash_argon2id}) for the hashes it takes: version 1.3, one lane, a 16-byte
 * salt, no secret key or associated data, a tag of 16 bytes or more, at least 8 KiB of memory. Every hash the server
 * makes at {@code argon2.parallelism=1} is one; any other goes to the next implementation. libsodium picks the
 * fastest Argon2 code the CPU runs (AVX-512F, AVX2 or SSSE3 on x86-64) when it is initialised, and computes a hash
 * on the calling thread, in memory it maps for that hash and unmaps after.
 *
 * <p>The library is the build lazysodium-java bundles for the platform, which JNA copies from the class path to its
 * temporary directory, loads and deletes; where none loads, a libsodium installed on the system. lazysodium's own
 * classes are compiled for Java 21, so the few functions called here are bound by JNA directly; that also keeps the
 * password in native memory the server wipes (JNA's copy of a {@code byte[]} argument is freed unwiped).
 */
final class SodiumArgon2 {
  /** Where lazysodium keeps its build for each platform (JNA's name for it), all 64-bit. */
  private static final Map<String, String> BUNDLED = Map.of(
      "linux-x86-64", "linux64/libsodium.so",
      "linux-aarch64", "arm64/libsodium.so",
      "darwin-x86-64", "mac/libsodium.dylib",
      "darwin-aarch64", "mac_arm/libsodium.dylib",
      "win32-x86-64", "windows64/libsodium.dll");

  // libsodium's own test vector: test/default/pwhash_argon2id.c, tv() case 7 (t=1, memlimit 1631659 bytes, a 231-byte
  // tag), with its answer in pwhash_argon2id.exp; the salt is the first 16 bytes of the 32 the test gives
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] KAT_PASSWORD =
      HEX.parseHex("b540beb016a5366524d4605156493f9874514a5aa58818cd0c6dfffaa9e90205f17b");
  private static final PhcHash KAT = new PhcHash(PhcHash.ARGON2ID, PhcHash.VERSION_13, 1631659 / 1024, 1, 1,
      HEX.parseHex("44071f6d181561670bda728d43fb79b4"), HEX.parseHex(
          "7fb72409b0987f8190c3729710e98c3f80c5a8727d425fdcde7f3644d467fe973f5b5fee683bd3fce812cb9ae5e9921a2d06c2f1"
          + "905e4e839692f2b934b682f11a2fe2b90482ea5dd234863516dba6f52dc0702d324ec77d860c2e181f84472bd7104fedce071f"
          + "fa93c5309494ad51623d214447a7b2b1462dc7d5d55a1f6fd5b54ce024118d86f0c6489d16545aaa87b6689dad9f2fb47fda98"
          + "94f8e12b87d978b483ccd4cc5fd9595cdc7a818452f915ce2f7df95ec12b1c72e3788d473441d884f9748eb14703c21b45d82f"
          + "d667b85f5b2d98c13303b3fe76285531a826b6fc0fe8e3dddecf"));

  /** Bound once per process: JNA registers a class's native methods with one library. */
  private static SodiumArgon2 bound;

  private final String description;
  private final int algorithm;
  private final long minTagBytes;
  private final long saltBytes;
  private final long minIterations;
  private final long minMemoryBytes;

  private SodiumArgon2(String description) {
    this.description = description;
    this.algorithm = Libsodium.crypto_pwhash_argon2id_alg_argon2id13();
    this.minTagBytes = Libsodium.crypto_pwhash_argon2id_bytes_min();
    this.saltBytes = Libsodium.crypto_pwhash_argon2id_saltbytes();
    this.minIterations = Libsodium.crypto_pwhash_argon2id_opslimit_min();
    this.minMemoryBytes = Libsodium.crypto_pwhash_argon2id_memlimit_min();
  }

  /**
   * Loads libsodium and checks it against its own Argon2id test vector; throws ({@link LinkageError},
   * {@link UnsupportedOperationException} or {@link IllegalStateException}) when it cannot be loaded or computes
   * something else.
   */
  static synchronized SodiumArgon2 load() {
    if (bound != null) {
      return bound;
    }
    // size_t is bound as a Java long
    if (Native.SIZE_T_SIZE != 8) {
      throw new UnsupportedOperationException("libsodium is used on 64-bit platforms only");
    }
    var bundled = BUNDLED.get(Platform.RESOURCE_PREFIX);
    NativeLibrary library;
    String origin;
    try {
      if (bundled == null) {
        throw new UnsatisfiedLinkError("lazysodium-java bundles no libsodium for " + Platform.RESOURCE_PREFIX);
      }
      // a name starting with a slash is a class path resource to JNA
      library = NativeLibrary.getInstance("/" + bundled, SodiumArgon2.class.getClassLoader());
      origin = "the copy bundled in lazysodium-java";
    } catch (UnsatisfiedLinkError notBundled) {
      try {
        library = NativeLibrary.getInstance("sodium");
      } catch (UnsatisfiedLinkError notInstalled) {
        // the first lines (JNA's messages go on with every path tried)
        var failure = new UnsatisfiedLinkError(firstLine(notBundled) + "; " + firstLine(notInstalled));
        failure.addSuppressed(notBundled);
        failure.addSuppressed(notInstalled);
        throw failure;
      }
      origin = library.getFile().getPath();
    }
    Native.register(Libsodium.class, library);
    // picks the Argon2 code for the CPU; 1 when it was initialised before
    if (Libsodium.sodium_init() < 0) {
      throw new IllegalStateException("libsodium (" + origin + ") failed to initialise");
    }
    var loaded = new SodiumArgon2("libsodium " + Libsodium.sodium_version_string() + ", native (" + origin
        + instructions() + ")");
    if (!loaded.takes(KAT, Argon2Function.NONE, Argon2Function.NONE)
        || !Arrays.equals(loaded.hash(KAT_PASSWORD, KAT), KAT.hash())) {
      throw new IllegalStateException("libsodium (" + origin + ") does not compute its own Argon2id test vector");
    }
    bound = loaded;
    return loaded;
  }

  String description() {
    return description;
  }

  /** libsodium for the hashes it takes, {@code next} for the others. */
  Argon2Function before(Argon2Function next) {
    return (password, like, secret, associatedData) -> takes(like, secret, associatedData)
        ? hash(password, like)
        : next.hash(password, like, secret, associatedData);
  }

  boolean takes(PhcHash like, byte[] secret, byte[] associatedData) {
    return like.type() == PhcHash.ARGON2ID && like.version() == PhcHash.VERSION_13 && like.parallelism() == 1
        && like.salt().length == saltBytes && like.hash().length >= minTagBytes
        && like.iterations() >= minIterations && like.memoryKib() * 1024L >= minMemoryBytes
        && secret.length == 0 && associatedData.length == 0;
  }

  /** The tag of {@code password} with the costs, salt and tag length of {@code like}, which it {@link #takes}. */
  byte[] hash(byte[] password, PhcHash like) {
    var out = new byte[like.hash().length];
    // libsodium reads no password through a null pointer of length 0
    Memory pwd = password.length == 0 ? null : new Memory(password.length);
    try {
      if (pwd != null) {
        pwd.write(0, password, 0, password.length);
      }
      int result = Libsodium.crypto_pwhash_argon2id(out, out.length, pwd, password.length, like.salt(),
          like.iterations(), like.memoryKib() * 1024L, algorithm);
      if (result != 0) {
        throw new IllegalStateException("libsodium's crypto_pwhash_argon2id failed");
      }
      return out;
    } finally {
      if (pwd != null) {
        pwd.clear();
        pwd.close();
      }
    }
  }

  private static String firstLine(Throwable e) {
    return String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip();
  }

  /** The instruction set libsodium's Argon2 runs on here, as it chooses (x86-64 only). */
  private static String instructions() {
    if (Libsodium.sodium_runtime_has_avx512f() != 0) {
      return ", AVX-512F";
    }
    if (Libsodium.sodium_runtime_has_avx2() != 0) {
      return ", AVX2";
    }
    return Libsodium.sodium_runtime_has_ssse3() != 0 ? ", SSSE3" : "";
  }

  /** libsodium's functions, bound by JNA's direct mapping; size_t as long (64-bit platforms only). */
  private static final class Libsodium {
    static native int sodium_init();

    static native String sodium_version_string();

    static native int sodium_runtime_has_avx512f();

    static native int sodium_runtime_has_avx2();

    static native int sodium_runtime_has_ssse3();

    static native int crypto_pwhash_argon2id_alg_argon2id13();

    static native long crypto_pwhash_argon2id_bytes_min();

    static native long crypto_pwhash_argon2id_saltbytes();

    static native long crypto_pwhash_argon2id_opslimit_min();

    static native long crypto_pwhash_argon2id_memlimit_min();

    static native int crypto_pwhash_argon2id(byte[] out, long outlen, Pointer passwd, long passwdlen, byte[] salt,
        long opslimit, long memlimit, int alg);
  }
}
