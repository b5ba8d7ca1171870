package io.meshyauth.server.oauth;

import io.meshyauth.server.values.Scope;
import java.time.Duration;
import java.util.Optional;

/** What a successful grant hands back (RFC 6749 section 5.1; the ID token: OpenID Connect Core section 3.1.3.3). */
public record IssuedTokens(String accessToken, Duration expiresIn, Optional<String> refreshToken, Scope scope,
    Optional<String> idToken) {
  @Override
  public String toString() {
    return "IssuedTokens[expiresIn=" + expiresIn + ", scope=" + scope + "]";
  }
}
