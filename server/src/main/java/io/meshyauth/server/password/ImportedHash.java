package io.meshyauth.server.password;

import io.meshyauth.server.values.Password;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * A password hash made by another system, kept as it is until the user's next successful login replaces it with
 * Argon2id: ASP.NET Core Identity V2 and V3 (what MeshyDB's IdentityServer-based backend stored), bcrypt, and Argon2
 * PHC strings (the server's own format, with any parameters). Checking one goes through {@link Argon2PasswordHasher},
 * in its hashing slots; the checks themselves are the JDK's PBKDF2 and Bouncy Castle's bcrypt, both comparing in
 * constant time.
 */
public sealed interface ImportedHash {
  /** A name for reports; never the hash. */
  String format();

  /** Which of {@code limits} checking this hash would exceed, said without quoting the hash. */
  Optional<String> exceeds(CostLimits limits);

  /** The hash, if it is one of the formats above. */
  static Optional<ImportedHash> parse(String encoded) {
    if (encoded.startsWith("$argon2")) {
      return PhcHash.tryParse(encoded).map(Argon2::new);
    }
    if (encoded.startsWith("$2")) {
      return Bcrypt.parse(encoded);
    }
    return AspNetIdentity.parse(encoded);
  }

  /** What checking one imported hash may cost at most; the import refuses hashes beyond. */
  record CostLimits(int maxBcryptCost, int maxPbkdf2Iterations, int maxArgon2MemoryKib, int maxArgon2Iterations) {
    /**
     * Far above what these formats' own defaults and OWASP's recommendations ask (bcrypt 10-12, PBKDF2 at most
     * 1,300,000 iterations, Argon2id 19-64 MiB), far below what would hold a hashing slot for minutes.
     */
    public static final CostLimits DEFAULTS = new CostLimits(14, 2_000_000, 262_144, 10);
  }

  /** A format checked by another algorithm than the server's Argon2. */
  sealed interface Legacy extends ImportedHash {
    boolean matches(Password password);
  }

  /** An Argon2 PHC string, checked by the hasher itself. */
  record Argon2(PhcHash phc) implements ImportedHash {
    @Override
    public String format() {
      return "Argon2";
    }

    @Override
    public Optional<String> exceeds(CostLimits limits) {
      if (phc.memoryKib() > limits.maxArgon2MemoryKib()) {
        return Optional.of("Argon2 memory of " + phc.memoryKib() + " KiB is over the limit of "
            + limits.maxArgon2MemoryKib() + " KiB");
      }
      if (phc.iterations() > limits.maxArgon2Iterations()) {
        return Optional.of("Argon2 iterations " + phc.iterations() + " are over the limit of "
            + limits.maxArgon2Iterations());
      }
      return Optional.empty();
    }
  }

  /** {@code $2a$}, {@code $2b$} or {@code $2y$}, cost, salt and hash in bcrypt's Base64 (60 characters). */
  record Bcrypt(String encoded, int cost) implements Legacy {
    private static final Pattern FORMAT = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");

    static Optional<ImportedHash> parse(String encoded) {
      var match = FORMAT.matcher(encoded);
      if (!match.matches()) {
        return Optional.empty();
      }
      int cost = Integer.parseInt(match.group(1));
      return cost < 4 || cost > 31 ? Optional.empty() : Optional.of(new Bcrypt(encoded, cost));
    }

    @Override
    public String format() {
      return "bcrypt";
    }

    @Override
    public Optional<String> exceeds(CostLimits limits) {
      return cost > limits.maxBcryptCost()
          ? Optional.of("bcrypt cost " + cost + " is over the limit of " + limits.maxBcryptCost())
          : Optional.empty();
    }

    @Override
    public boolean matches(Password password) {
      // compares with Strings.constantTimeAreEqual
      return OpenBSDBCrypt.checkPassword(encoded, password.chars());
    }

    @Override
    public String toString() {
      return "Bcrypt[cost=" + cost + "]";
    }
  }

  /**
   * ASP.NET Core Identity's PasswordHasher, Base64 of: V2, {@code 0x00}, a 16-byte salt, a 32-byte PBKDF2-HMAC-SHA1
   * subkey of 1,000 iterations; V3, {@code 0x01}, the PRF (0 HMAC-SHA1, 1 HMAC-SHA256, 2 HMAC-SHA512), the
   * iteration count and the salt length as big-endian 32-bit integers, the salt, then the subkey (at least 16 bytes
   * each). The password is PBKDF2'd as UTF-8 in both.
   */
  record AspNetIdentity(int version, Prf prf, int iterations, byte[] salt, byte[] subkey) implements Legacy {
    private static final int V2_ITERATIONS = 1000;
    private static final int MIN_BYTES = 16;
    /** One block of HMAC-SHA512; ASP.NET writes 32 bytes. */
    private static final int MAX_SUBKEY_BYTES = 64;

    /** KeyDerivationPrf, by its number in the header, with the JDK's name for PBKDF2 over it. */
    enum Prf {
      HMAC_SHA1("PBKDF2WithHmacSHA1"), HMAC_SHA256("PBKDF2WithHmacSHA256"), HMAC_SHA512("PBKDF2WithHmacSHA512");

      final String algorithm;

      Prf(String algorithm) {
        this.algorithm = algorithm;
      }
    }

    static Optional<ImportedHash> parse(String encoded) {
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(encoded);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      if (bytes.length == 1 + 16 + 32 && bytes[0] == 0) {
        return Optional.of(new AspNetIdentity(2, Prf.HMAC_SHA1, V2_ITERATIONS, Arrays.copyOfRange(bytes, 1, 17),
            Arrays.copyOfRange(bytes, 17, bytes.length)));
      }
      if (bytes.length < 13 || bytes[0] != 1) {
        return Optional.empty();
      }
      var header = ByteBuffer.wrap(bytes, 1, 12);
      long prf = Integer.toUnsignedLong(header.getInt());
      long iterations = Integer.toUnsignedLong(header.getInt());
      long saltLength = Integer.toUnsignedLong(header.getInt());
      long subkeyLength = bytes.length - 13 - saltLength;
      if (prf >= Prf.values().length || iterations < 1 || iterations > Integer.MAX_VALUE || saltLength < MIN_BYTES
          || subkeyLength < MIN_BYTES || subkeyLength > MAX_SUBKEY_BYTES) {
        return Optional.empty();
      }
      int saltEnd = 13 + (int) saltLength;
      return Optional.of(new AspNetIdentity(3, Prf.values()[(int) prf], (int) iterations,
          Arrays.copyOfRange(bytes, 13, saltEnd), Arrays.copyOfRange(bytes, saltEnd, bytes.length)));
    }

    @Override
    public String format() {
      return "ASP.NET Core Identity V" + version;
    }

    @Override
    public Optional<String> exceeds(CostLimits limits) {
      return iterations > limits.maxPbkdf2Iterations()
          ? Optional.of("PBKDF2 iterations " + iterations + " are over the limit of " + limits.maxPbkdf2Iterations())
          : Optional.empty();
    }

    @Override
    public boolean matches(Password password) {
      var spec = new PBEKeySpec(password.chars(), salt, iterations, subkey.length * 8);
      byte[] derived = null;
      try {
        derived = SecretKeyFactory.getInstance(prf.algorithm).generateSecret(spec).getEncoded();
        return MessageDigest.isEqual(derived, subkey);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("PBKDF2 with " + prf + " is not available", e);
      } finally {
        spec.clearPassword();
        if (derived != null) {
          Arrays.fill(derived, (byte) 0);
        }
      }
    }

    @Override
    public String toString() {
      return "AspNetIdentity[V" + version + ", " + prf + ", iterations=" + iterations + "]";
    }
  }
}
