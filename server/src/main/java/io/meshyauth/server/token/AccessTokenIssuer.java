package io.meshyauth.server.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.meshyauth.server.oauth.Scope;
import java.util.Date;
import java.util.UUID;
import java.time.Instant;
import java.util.function.Supplier;

/** Mints access tokens: JWTs signed with ES256 (RFC 9068 profile). */
public final class AccessTokenIssuer {
  private final ECKey signingKey;
  private final ECDSASigner signer;
  private final Supplier<String> issuerBaseUrl;

  /** @param issuerBaseUrl resolved on use: it may depend on the port the server was bound to */
  public AccessTokenIssuer(ECKey signingKey, Supplier<String> issuerBaseUrl) {
    this.signingKey = signingKey;
    this.issuerBaseUrl = issuerBaseUrl;
    try {
      this.signer = new ECDSASigner(signingKey);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("signing key is not a usable P-256 private key", e);
    }
  }

  /** A fresh P-256 key held in memory; durable, rotated keys come with the JDBC store. */
  public static ECKey generateKey() {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate a P-256 key", e);
    }
  }

  public ECKey publicKey() {
    return signingKey.toPublicJWK();
  }

  public String issuerFor(String accountName) {
    return issuerBaseUrl.get() + "/" + accountName;
  }

  public String issue(AccessTokenClaims claims) {
    var set = new JWTClaimsSet.Builder()
        .issuer(issuerFor(claims.accountName()))
        .subject(claims.subject())
        .audience(claims.audience())
        .claim("client_id", claims.clientId())
        .claim("scope", claims.scope().toString())
        .issueTime(Date.from(claims.issuedAt()))
        .expirationTime(Date.from(claims.expiresAt()))
        .jwtID(UUID.randomUUID().toString())
        .build();
    var header = new JWSHeader.Builder(JWSAlgorithm.ES256)
        .keyID(signingKey.getKeyID())
        .type(new JOSEObjectType("at+jwt"))
        .build();
    var jwt = new SignedJWT(header, set);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("signing failed", e);
    }
    return jwt.serialize();
  }

  public record AccessTokenClaims(String accountName, String subject, String audience, String clientId, Scope scope,
      Instant issuedAt, Instant expiresAt) {
  }
}
