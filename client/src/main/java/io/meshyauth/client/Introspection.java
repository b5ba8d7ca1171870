package io.meshyauth.client;

import io.meshyauth.client.generated.model.IntrospectionResponse;
import java.time.Instant;
import java.util.Optional;

/**
 * What the server says of a token (RFC 7662 section 2.2). An inactive token (unknown, malformed, expired, revoked,
 * rotated away, of another account, its user gone or deactivated) has {@code active} false and nothing else.
 *
 * @param scope the token's scopes, space-separated
 * @param clientId the client the token was issued to
 * @param username the token's user; empty for a service's own token (client_credentials)
 * @param tokenType {@code Bearer} for an access token, {@code refresh_token} for a refresh token
 * @param subject the user's id, or the client's for a service's own token
 */
public record Introspection(boolean active, Optional<String> scope, Optional<String> clientId,
    Optional<String> username, Optional<String> tokenType, Optional<Instant> expiresAt, Optional<Instant> issuedAt,
    Optional<String> subject, Optional<String> audience, Optional<String> issuer, Optional<String> jwtId) {
  public static Introspection inactive() {
    return new Introspection(false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  static Introspection of(IntrospectionResponse response) {
    if (!Boolean.TRUE.equals(response.getActive())) {
      return inactive();
    }
    return new Introspection(true, Optional.ofNullable(response.getScope()),
        Optional.ofNullable(response.getClientId()), Optional.ofNullable(response.getUsername()),
        Optional.ofNullable(response.getTokenType()),
        Optional.ofNullable(response.getExp()).map(Instant::ofEpochSecond),
        Optional.ofNullable(response.getIat()).map(Instant::ofEpochSecond), Optional.ofNullable(response.getSub()),
        Optional.ofNullable(response.getAud()), Optional.ofNullable(response.getIss()),
        Optional.ofNullable(response.getJti()));
  }
}
