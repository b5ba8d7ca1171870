package io.meshyauth.server.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.meshyauth.server.store.Account;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a bearer access token the way a resource server would (RFC 9068 section 4): an ES256 signature by one
 * of the account's published keys, type {@code at+jwt} (so an ID token is no access token), this account's
 * issuer and audience, and an expiry in the future, with Nimbus' default minute of clock skew.
 */
public final class AccessTokenVerifier {
  private final SigningKeys keys;
  private final AccessTokenIssuer issuer;
  private final Clock clock;
  private final String audience;

  public AccessTokenVerifier(SigningKeys keys, AccessTokenIssuer issuer, Clock clock, String audience) {
    this.keys = keys;
    this.issuer = issuer;
    this.clock = clock;
    this.audience = audience;
  }

  /**
   * What a valid token says about its user and session, and what it grants: its {@code role} and {@code
   * permission} claims as issued (empty when absent).
   *
   * @param username MeshyDB's {@code id} claim, which every token of a user carries; empty in a client's own token
   *     (client_credentials), whose subject is the client
   */
  public record VerifiedAccessToken(String subject, String clientId, Optional<String> sessionId, List<String> roles,
      List<String> permissions, Optional<String> username, String scope, Instant issuedAt, Instant expiresAt,
      String jwtId, String issuer, String audience) {
    public VerifiedAccessToken {
      roles = List.copyOf(roles);
      permissions = List.copyOf(permissions);
    }

    /** Whether it is a user's token, not a client's own. */
    public boolean ofUser() {
      return username.isPresent();
    }
  }

  /** The account's issuer, the {@code iss} of its tokens. */
  public String issuerFor(Account account) {
    return issuer.issuerFor(account.name());
  }

  /** The token's claims, or empty when it is malformed, forged, expired or of another account. */
  public Optional<VerifiedAccessToken> verify(Account account, String token) {
    var processor = new DefaultJWTProcessor<SecurityContext>();
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
        new ImmutableJWKSet<>(keys.publishedKeys(account.name()))));
    processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience,
        new JWTClaimsSet.Builder().issuer(issuer.issuerFor(account.name())).build(),
        Set.of("sub", "exp", "iat")) {
      @Override
      protected Date currentTime() {
        return Date.from(clock.instant());
      }
    });
    try {
      var claims = processor.process(token, null);
      return Optional.of(new VerifiedAccessToken(claims.getSubject(), claims.getStringClaim("client_id"),
          Optional.ofNullable(claims.getStringClaim("sid")), strings(claims, "role"),
          strings(claims, "permission"), Optional.ofNullable(claims.getStringClaim("id")),
          Objects.requireNonNullElse(claims.getStringClaim("scope"), ""), claims.getIssueTime().toInstant(),
          claims.getExpirationTime().toInstant(), Objects.requireNonNullElse(claims.getJWTID(), ""),
          claims.getIssuer(), audience));
    } catch (ParseException | BadJOSEException | JOSEException e) {
      // JOSEException too: a client's bytes must never become a server error
      return Optional.empty();
    }
  }

  /** A claim of our own tokens, always an array of strings; anything else counts as none. */
  private static List<String> strings(JWTClaimsSet claims, String name) {
    try {
      var list = claims.getStringListClaim(name);
      return list == null ? List.of() : list.stream().filter(Objects::nonNull).toList();
    } catch (ParseException e) {
      return List.of();
    }
  }
}
