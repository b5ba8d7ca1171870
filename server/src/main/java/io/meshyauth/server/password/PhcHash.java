package io.meshyauth.server.password;

import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * An Argon2 hash in the PHC string format, {@code $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>}
 * with unpadded standard Base64, as written by the reference implementation and by password4j before us.
 */
record PhcHash(int type, int version, int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) {
  static final int ARGON2ID = Argon2Parameters.ARGON2_id;
  static final int VERSION_13 = Argon2Parameters.ARGON2_VERSION_13;

  private static final Pattern FORMAT = Pattern.compile(
      "\\$argon2(id|i|d)(?:\\$v=(\\d{1,3}))?\\$m=(\\d{1,9}),t=(\\d{1,9}),p=(\\d{1,3})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
  private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();

  /** The stored hash; an {@link IllegalStateException} that does not quote it when it is not one. */
  static PhcHash parse(String stored) {
    return tryParse(stored).orElseThrow(() -> new IllegalStateException("a stored password hash is not Argon2"));
  }

  static Optional<PhcHash> tryParse(String stored) {
    var match = FORMAT.matcher(stored);
    if (!match.matches()) {
      return Optional.empty();
    }
    int type = switch (match.group(1)) {
      case "id" -> Argon2Parameters.ARGON2_id;
      case "i" -> Argon2Parameters.ARGON2_i;
      default -> Argon2Parameters.ARGON2_d;
    };
    // hashes without a version predate it: version 0x10
    int version = match.group(2) == null ? Argon2Parameters.ARGON2_VERSION_10 : Integer.parseInt(match.group(2));
    int memoryKib = Integer.parseInt(match.group(3));
    int iterations = Integer.parseInt(match.group(4));
    int parallelism = Integer.parseInt(match.group(5));
    byte[] salt;
    byte[] hash;
    try {
      salt = Base64.getDecoder().decode(match.group(6));
      hash = Base64.getDecoder().decode(match.group(7));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    boolean valid = (version == Argon2Parameters.ARGON2_VERSION_10 || version == Argon2Parameters.ARGON2_VERSION_13)
        && parallelism >= 1 && memoryKib >= 8 * parallelism && iterations >= 1 && salt.length >= 8
        && hash.length >= 4;
    return valid ? Optional.of(new PhcHash(type, version, memoryKib, iterations, parallelism, salt, hash))
        : Optional.empty();
  }

  PhcHash withHash(byte[] value) {
    return new PhcHash(type, version, memoryKib, iterations, parallelism, salt, value);
  }

  String encode() {
    var name = switch (type) {
      case Argon2Parameters.ARGON2_id -> "argon2id";
      case Argon2Parameters.ARGON2_i -> "argon2i";
      default -> "argon2d";
    };
    return "$" + name + "$v=" + version + "$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$"
        + ENCODER.encodeToString(salt) + "$" + ENCODER.encodeToString(hash);
  }
}
