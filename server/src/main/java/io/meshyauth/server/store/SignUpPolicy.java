package io.meshyauth.server.store;

import io.meshyauth.server.values.Password;
import java.util.Locale;
import java.util.Objects;

/**
 * How an account's users sign up and recover: MeshyDB's account settings (public registration, the one
 * verification and recovery method), and the password policy and enumeration choice that meshy-auth adds. The
 * default is what every account had before these settings existed: no public registration, no verification.
 *
 * @param minPasswordLength applies wherever a password is set (registration, reset, change, {@code users
 *     create}); hashes already stored, imported ones included, keep working whatever their password's length
 * @param hideUnknownUsers {@code forgotpassword} answers an unknown username as a known one, and {@code exists}
 *     is refused, so that usernames cannot be probed (at the cost of MeshyDB's documented 404)
 */
public record SignUpPolicy(boolean publicRegistration, Verification verification, int minPasswordLength,
    boolean hideUnknownUsers) {
  /** NIST SP 800-63B section 5.1.1.2: at least 8 characters for a password its user chose. */
  public static final int DEFAULT_MIN_PASSWORD_LENGTH = 8;
  public static final SignUpPolicy DEFAULT = new SignUpPolicy(false, Verification.NONE, DEFAULT_MIN_PASSWORD_LENGTH,
      false);

  public SignUpPolicy {
    Objects.requireNonNull(verification, "verification");
    if (minPasswordLength < 1 || minPasswordLength > 128) {
      throw new IllegalArgumentException("minPasswordLength must be between 1 and 128");
    }
  }

  /** MeshyDB's verification and recovery method: which contact a code goes to, or which questions are asked. */
  public enum Verification {
    /** No verification: users log in at once, and cannot recover a password by themselves. */
    NONE,
    EMAIL,
    TEXT,
    QUESTION;

    /** As the CLI and the store write it: {@code none}, {@code email}, {@code text}, {@code question}. */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Verification of(String key) {
      for (var each : values()) {
        if (each.key().equals(key)) {
          return each;
        }
      }
      throw new IllegalArgumentException("verification must be none, email, text or question, was '" + key + "'");
    }

    /** Whether a new user must prove its contact with a code before it may log in. */
    public boolean requiresCode() {
      return this == EMAIL || this == TEXT;
    }
  }

  /** Whether a password set now is long enough: counted in characters as a person types them, not UTF-16 units. */
  public boolean allowsPassword(Password password) {
    var chars = password.chars();
    return Character.codePointCount(chars, 0, chars.length) >= minPasswordLength;
  }

  public SignUpPolicy withPublicRegistration(boolean value) {
    return new SignUpPolicy(value, verification, minPasswordLength, hideUnknownUsers);
  }

  public SignUpPolicy withVerification(Verification value) {
    return new SignUpPolicy(publicRegistration, value, minPasswordLength, hideUnknownUsers);
  }

  public SignUpPolicy withMinPasswordLength(int value) {
    return new SignUpPolicy(publicRegistration, verification, value, hideUnknownUsers);
  }

  public SignUpPolicy withHideUnknownUsers(boolean value) {
    return new SignUpPolicy(publicRegistration, verification, minPasswordLength, value);
  }
}
