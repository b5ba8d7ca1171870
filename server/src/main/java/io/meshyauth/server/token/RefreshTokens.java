package io.meshyauth.server.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Opaque refresh tokens: 256 bits from a CSPRNG, handed to the client once and stored only as a SHA-256
 * hash. A lookup by hash needs no constant-time comparison: the attacker controls the preimage, not the
 * hash, and learns nothing from the timing of an index lookup.
 */
public final class RefreshTokens {
  private static final int TOKEN_BYTES = 32;
  private final SecureRandom random = new SecureRandom();

  public String newToken() {
    var bytes = new byte[TOKEN_BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String hash(String token) {
    try {
      var digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
