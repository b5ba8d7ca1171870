package io.meshyauth.server.token;

import io.meshyauth.server.store.ClientSecret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Confidential clients' secrets: 256 random bits, shown once when made and stored as a SHA-256 hash, like refresh
 * tokens. A presented secret is compared with every secret the client holds, each in constant time, so that neither
 * which secret matched nor how much of it did shows in the time taken.
 */
public final class ClientSecrets {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private ClientSecrets() {
  }

  /** A new secret: what the operator is shown once, and what is stored. */
  public record NewSecret(String secret, ClientSecret stored) {
    @Override
    public String toString() {
      return "NewSecret[" + stored + "]";
    }
  }

  public static NewSecret newSecret(Instant now) {
    var bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    var secret = ENCODER.encodeToString(bytes);
    var id = new byte[4];
    RANDOM.nextBytes(id);
    return new NewSecret(secret, new ClientSecret(HexFormat.of().formatHex(id), RefreshTokens.hash(secret), now));
  }

  /** Whether {@code presented} is one of the secrets; every one is compared, whichever matches. */
  public static boolean matches(String presented, List<ClientSecret> secrets) {
    var hash = RefreshTokens.hash(presented).getBytes(StandardCharsets.US_ASCII);
    boolean matched = false;
    for (var secret : secrets) {
      matched |= MessageDigest.isEqual(hash, secret.hash().getBytes(StandardCharsets.US_ASCII));
    }
    return matched;
  }
}
