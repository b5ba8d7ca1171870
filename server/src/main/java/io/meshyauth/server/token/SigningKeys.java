package io.meshyauth.server.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.meshyauth.server.events.SecurityEvent.KeyRotated;
import io.meshyauth.server.events.SecurityEvents;
import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.SigningKey;
import io.meshyauth.server.store.SigningKeyStore;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each account's ES256 keys, kept in the store so that every node signs with them and they survive restarts.
 * A key signs for one rotation period, then a new one takes over; a retired key stays published until every
 * access token it signed has expired. The signing key is cached briefly, so a rotation on another node is
 * picked up within {@link #CACHE_TTL} (both keys are published meanwhile, so verification never breaks).
 */
public final class SigningKeys {
  static final Duration CACHE_TTL = Duration.ofSeconds(30);

  private final SigningKeyStore store;
  private final Clock clock;
  private final Duration rotationPeriod;
  private final Map<String, CachedSigner> signers = new ConcurrentHashMap<>();
  private final SecurityEvents events;

  /** The key that signs, with its kid for the JWS header. */
  public record Signer(String kid, JWSSigner signer) {
  }

  private record CachedSigner(Signer signer, Instant validUntil) {
  }

  public SigningKeys(SigningKeyStore store, Clock clock, Duration rotationPeriod) {
    this(store, clock, rotationPeriod, SecurityEvents.NONE);
  }

  public SigningKeys(SigningKeyStore store, Clock clock, Duration rotationPeriod, SecurityEvents events) {
    this.store = store;
    this.clock = clock;
    this.rotationPeriod = rotationPeriod;
    this.events = events;
  }

  public Signer signerFor(Account account) {
    var now = clock.instant();
    var cached = signers.get(account.name());
    if (cached != null && now.isBefore(cached.validUntil())) {
      return cached.signer();
    }
    // an account gets its first key when it is created: no active key means the last one's period is over
    var key = store.activeSigningKeys(Optional.of(account.name()), now).stream().findFirst()
        .orElseGet(() -> rotated(account, create(account), KeyRotated.BY_SCHEDULE));
    var signer = new Signer(key.kid(), signerOf(key));
    var validUntil = now.plus(CACHE_TTL).isBefore(key.retireAfter()) ? now.plus(CACHE_TTL) : key.retireAfter();
    signers.put(account.name(), new CachedSigner(signer, validUntil));
    return signer;
  }

  /** The public halves of every key whose tokens may still be valid (RFC 7517 JWK set). */
  public JWKSet publishedKeys(String accountName) {
    var keys = store.publishedSigningKeys(Optional.of(accountName), clock.instant()).stream()
        .map(key -> {
          try {
            return ECKey.parse(key.publicJwk());
          } catch (ParseException e) {
            throw new IllegalStateException("stored public key " + key.kid() + " is not a JWK", e);
          }
        })
        .map(key -> (com.nimbusds.jose.jwk.JWK) key)
        .toList();
    return new JWKSet(keys);
  }

  /** Creates a key that signs from now; keys that signed until now retire, and stay published. */
  public SigningKey rotate(Account account) {
    var now = clock.instant();
    var retiring = store.activeSigningKeys(Optional.of(account.name()), now);
    var created = create(account);
    for (var old : retiring) {
      store.retireSigningKey(old.kid(), now, now.plus(account.accessTokenLifetime()));
    }
    signers.remove(account.name());
    return rotated(account, created, KeyRotated.BY_OPERATOR);
  }

  private SigningKey rotated(Account account, SigningKey key, String trigger) {
    events.report(new KeyRotated(account.name(), key.kid(), trigger));
    return key;
  }

  /** A new key for the account, signing from now for one rotation period. */
  public SigningKey create(Account account) {
    var now = clock.instant();
    ECKey key;
    try {
      key = new ECKeyGenerator(Curve.P_256)
          .keyID(UUID.randomUUID().toString())
          .keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.ES256)
          .generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate a P-256 key", e);
    }
    var retireAfter = now.plus(rotationPeriod);
    var stored = new SigningKey(key.getKeyID(), Optional.of(account.name()), JWSAlgorithm.ES256.getName(),
        key.toJSONString(), key.toPublicJWK().toJSONString(), now, retireAfter,
        retireAfter.plus(account.accessTokenLifetime()));
    store.saveSigningKey(stored);
    return stored;
  }

  /**
   * Generates a throwaway key and signs a token with it, so that the classes and tables of signing are ready
   * before the first request needs them (see {@link io.meshyauth.server.WarmUp}).
   */
  public static void warmUp() throws JOSEException {
    var key = new ECKeyGenerator(Curve.P_256).keyID("warm-up").generate();
    var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
        new JWTClaimsSet.Builder().subject("warm-up").build());
    jwt.sign(new Es256Signer(key));
    jwt.serialize();
  }

  private static JWSSigner signerOf(SigningKey key) {
    try {
      return new Es256Signer(ECKey.parse(key.privateJwk()));
    } catch (ParseException | JOSEException e) {
      throw new IllegalStateException("stored signing key " + key.kid() + " is not a usable P-256 JWK", e);
    }
  }
}
