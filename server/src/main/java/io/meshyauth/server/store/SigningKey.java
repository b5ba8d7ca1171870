package io.meshyauth.server.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A key access tokens are signed with, as JWKs (RFC 7517). A key of no account signs for every account.
 * It signs from {@code createdAt} until {@code retireAfter}, and its public half is published until
 * {@code notAfter}, when no token it signed can still be valid.
 */
public record SigningKey(String kid, Optional<String> accountName, String algorithm, String privateJwk,
    String publicJwk, Instant createdAt, Instant retireAfter, Instant notAfter) {

  public SigningKey {
    Objects.requireNonNull(kid, "kid");
    Objects.requireNonNull(accountName, "accountName");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(privateJwk, "privateJwk");
    Objects.requireNonNull(publicJwk, "publicJwk");
    Objects.requireNonNull(createdAt, "createdAt");
    if (notAfter.isBefore(retireAfter)) {
      throw new IllegalArgumentException("a key must stay published (notAfter) at least until it retires");
    }
  }

  @Override
  public String toString() {
    return "SigningKey[kid=" + kid + ", accountName=" + accountName + ", algorithm=" + algorithm + ", createdAt="
        + createdAt + ", retireAfter=" + retireAfter + ", notAfter=" + notAfter + "]";
  }
}
