package io.meshyauth.server.users;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * MeshyDB's VerificationHash, kept as MeshyDB keeps it: in the client, with no state on the server between the
 * request that starts a verification or reset and the one that completes it. The hash is an HMAC-SHA256 over the
 * account, the user, the purpose, {@code attempt}, {@code expires}, the code (where the server chose one) and the
 * state the completion changes: being unverified for a verification, the password hash for a reset. So a hash
 * works once: after the user is verified, or the password changed, the same hash no longer matches. The key is
 * derived from the key-encryption key, which every node sharing the store holds, and is never stored itself.
 */
public final class VerificationCodes {
  /** Written before the MAC, so that a later change of the scheme can tell its hashes from these. */
  private static final String VERSION = "v1.";
  private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();
  private final int codeLength;
  private final Duration lifetime;
  private final Optional<String> fixedCode;

  /** What a code is for: each purpose's hashes are useless for the other. */
  public enum Purpose {
    VERIFY, RESET
  }

  /**
   * What a hash is bound to. {@code code}: the code the server sent, or empty where the code is a security answer
   * (checked against its stored hash instead). {@code state}: what the completion changes (see above).
   */
  public record Binding(String accountName, String userId, Purpose purpose, int attempt, Instant expires,
      String code, String state) {
  }

  public VerificationCodes(byte[] key, int codeLength, Duration lifetime) {
    this(key, codeLength, lifetime, Optional.empty());
  }

  /** {@code fixedCode}: every code is this one (contract fixtures only; see {@code ServerConfig}). */
  public VerificationCodes(byte[] key, int codeLength, Duration lifetime, Optional<String> fixedCode) {
    this.fixedCode = fixedCode;
    if (key.length < 32) {
      throw new IllegalArgumentException("the verification key must have at least 32 bytes");
    }
    this.key = new SecretKeySpec(key, "HmacSHA256");
    this.codeLength = codeLength;
    this.lifetime = lifetime;
  }

  /** Random decimal digits from {@link SecureRandom}: a million values at the default six. */
  public String newCode() {
    if (fixedCode.isPresent()) {
      return fixedCode.get();
    }
    var code = new StringBuilder(codeLength);
    for (int i = 0; i < codeLength; i++) {
      code.append((char) ('0' + random.nextInt(10)));
    }
    return code.toString();
  }

  /** When a hash made now stops working, to the second (the MAC covers whole seconds). */
  public Instant expiresFrom(Instant now) {
    return now.plus(lifetime).plusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
  }

  public String hash(Binding binding) {
    return VERSION + BASE64.encodeToString(mac(binding));
  }

  /** Whether {@code presented} is the hash of {@code binding}, compared in constant time. */
  public boolean matches(String presented, Binding binding) {
    var expected = hash(binding).getBytes(StandardCharsets.US_ASCII);
    var given = presented == null ? new byte[0] : presented.getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, given);
  }

  /** A digest of a password hash, for binding a reset to the password it replaces without copying it. */
  public static String stateOf(Optional<String> passwordHash) {
    try {
      var digest = MessageDigest.getInstance("SHA-256").digest(
          passwordHash.orElse("").getBytes(StandardCharsets.UTF_8));
      return BASE64.encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  /**
   * {@code expires} as the client sent it back: any ISO-8601 spelling of the instant (MeshyDB's .NET SDK writes
   * seven fractional digits and an offset), or empty when it is none.
   */
  public static Optional<Instant> parseExpires(String expires) {
    if (expires == null || expires.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(expires.strip()).toInstant());
    } catch (DateTimeParseException e) {
      try {
        return Optional.of(Instant.parse(expires.strip()));
      } catch (DateTimeParseException again) {
        return Optional.empty();
      }
    }
  }

  private byte[] mac(Binding binding) {
    try {
      var mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      // each field is length-prefixed, so that no two bindings encode alike
      for (var field : new String[] {binding.accountName(), binding.userId(), binding.purpose().name(),
          Integer.toString(binding.attempt()), Long.toString(binding.expires().getEpochSecond()), binding.code(),
          binding.state()}) {
        var bytes = field.getBytes(StandardCharsets.UTF_8);
        mac.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) ':');
        mac.update(bytes);
      }
      return mac.doFinal();
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
    }
  }
}
