package io.meshyauth.server.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.meshyauth.server.oauth.Scope;
import io.meshyauth.server.store.Account;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.function.Supplier;

/** Mints access tokens: JWTs signed with the account's ES256 key (RFC 9068 profile). */
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
    var signer = keys.signerFor(account);
    var set = new JWTClaimsSet.Builder()
        .issuer(issuerFor(account.name()))
        .subject(claims.subject())
        .audience(claims.audience())
        .claim("client_id", claims.clientId())
        .claim("scope", claims.scope().toString())
        .issueTime(Date.from(claims.issuedAt()))
        .expirationTime(Date.from(claims.expiresAt()))
        .jwtID(UUID.randomUUID().toString())
        .build();
    var header = new JWSHeader.Builder(JWSAlgorithm.ES256)
        .keyID(signer.kid())
        .type(new JOSEObjectType("at+jwt"))
        .build();
    var jwt = new SignedJWT(header, set);
    try {
      jwt.sign(signer.signer());
    } catch (JOSEException e) {
      throw new IllegalStateException("signing failed", e);
    }
    return jwt.serialize();
  }

  public record AccessTokenClaims(String subject, String audience, String clientId, Scope scope, Instant issuedAt,
      Instant expiresAt) {
  }
}
