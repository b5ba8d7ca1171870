package io.meshyauth.server.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.UserProfile;
import io.meshyauth.server.values.Scope;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/** Mints access tokens (RFC 9068 profile) and ID tokens (OpenID Connect Core 1.0), signed with the account's ES256 key. */
public final class AccessTokenIssuer {
  private final SigningKeys keys;
  private final Supplier<String> issuerBaseUrl;

  /** @param issuerBaseUrl resolved on use: it may depend on the port the server was bound to */
  public AccessTokenIssuer(SigningKeys keys, Supplier<String> issuerBaseUrl) {
    this.keys = keys;
    this.issuerBaseUrl = issuerBaseUrl;
  }

  public String issuerFor(String accountName) {
    return issuerBaseUrl.get() + "/" + accountName;
  }

  public String issue(Account account, AccessTokenClaims claims) {
    var set = new JWTClaimsSet.Builder()
        .issuer(issuerFor(account.name()))
        .subject(claims.subject())
        .audience(claims.audience())
        .claim("client_id", claims.clientId())
        .claim("scope", claims.scope().toString())
        .issueTime(Date.from(claims.issuedAt()))
        .expirationTime(Date.from(claims.expiresAt()))
        .jwtID(UUID.randomUUID().toString());
    claims.sessionId().ifPresent(sid -> set.claim("sid", sid));
    claims.user().ifPresent(user -> {
      // what MeshyDB's SDKs build connection.currentUser from: the username is claim "id"
      set.claim("id", user.username());
      profileClaims(set, user.profile());
      // arrays even when empty or single: the JS SDK takes them as they are, the .NET SDK reads an element as a claim
      set.claim("role", user.profile().roleNames());
      set.claim("permission", user.profile().claimedPermissions());
    });
    return sign(account, set.build(), new JOSEObjectType("at+jwt"));
  }

  /**
   * An ID token (OpenID Connect Core 1.0 section 2) for a grant that was given the {@code openid} scope, as
   * Keycloak issues one on the password and refresh grants: {@code aud} is the client.
   */
  public String issueIdToken(Account account, IdTokenClaims claims) {
    var set = new JWTClaimsSet.Builder()
        .issuer(issuerFor(account.name()))
        .subject(claims.subject())
        .audience(claims.clientId())
        .claim("azp", claims.clientId())
        .issueTime(Date.from(claims.issuedAt()))
        .expirationTime(Date.from(claims.expiresAt()))
        .claim("preferred_username", claims.user().username());
    claims.sessionId().ifPresent(sid -> set.claim("sid", sid));
    profileClaims(set, claims.user().profile());
    return sign(account, set.build(), JOSEObjectType.JWT);
  }

  private static void profileClaims(JWTClaimsSet.Builder set, UserProfile profile) {
    // OpenID Connect Core section 5.3.2: a claim without a value is omitted, not null
    profile.firstName().ifPresent(name -> set.claim("given_name", name));
    profile.lastName().ifPresent(name -> set.claim("family_name", name));
  }

  private String sign(Account account, JWTClaimsSet claims, JOSEObjectType type) {
    var signer = keys.signerFor(account);
    var header = new JWSHeader.Builder(JWSAlgorithm.ES256)
        .keyID(signer.kid())
        .type(type)
        .build();
    var jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(signer.signer());
    } catch (JOSEException e) {
      throw new IllegalStateException("signing failed", e);
    }
    return jwt.serialize();
  }

  /** Who the token is about, as MeshyDB's SDKs read it. */
  public record TokenUser(String username, UserProfile profile) {
  }

  /**
   * @param sessionId the refresh token family of the login (claim {@code sid}), which lets the user's own requests
   *     tell its session from others
   */
  public record AccessTokenClaims(String subject, String audience, String clientId, Scope scope, Instant issuedAt,
      Instant expiresAt, Optional<TokenUser> user, Optional<String> sessionId) {

    /** Claims without a user profile or session. */
    public AccessTokenClaims(String subject, String audience, String clientId, Scope scope, Instant issuedAt,
        Instant expiresAt) {
      this(subject, audience, clientId, scope, issuedAt, expiresAt, Optional.empty(), Optional.empty());
    }
  }

  public record IdTokenClaims(String subject, String clientId, TokenUser user, Instant issuedAt, Instant expiresAt,
      Optional<String> sessionId) {
  }
}
