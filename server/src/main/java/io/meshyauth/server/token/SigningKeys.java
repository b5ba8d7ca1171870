package io.meshyauth.server.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.meshyauth.server.events.SecurityEvent.KeyRotated;
import io.meshyauth.server.events.SecurityEvents;
import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.DuplicateException;
import io.meshyauth.server.store.SigningKey;
import io.meshyauth.server.store.SigningKeyStore;
import io.meshyauth.server.store.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each account's ES256 keys, kept in the store so that every node signs with them and they survive restarts.
 *
 * <p>A key is published before it signs: resource servers cache the JWK set for up to {@link #JWKS_MAX_AGE}, so a
 * new key (from a rotation, or the successor at the end of a rotation period) is in the JWK set for
 * {@link #PUBLISHED_BEFORE_SIGNING} before its first token, and no resource server holding a cached set meets a
 * token whose key it does not know. A retired key stays published until every access token it signed has
 * expired. The signing key is cached for {@link #CACHE_TTL}, so nodes see a rotation that long after it; every
 * node switches at the instant the new key starts signing.
 */
public final class SigningKeys {
  /** How long clients may cache the JWK set ({@code Cache-Control: max-age}). */
  public static final Duration JWKS_MAX_AGE = Duration.ofSeconds(60);
  /** Beyond the cache's age: clock differences, and a resource server that fetched the set just before. */
  public static final Duration PUBLICATION_MARGIN = Duration.ofSeconds(30);
  public static final Duration PUBLISHED_BEFORE_SIGNING = JWKS_MAX_AGE.plus(PUBLICATION_MARGIN);
  /** How long before a key's rotation period ends its successor is published, when a token is signed then. */
  static final Duration SUCCESSOR_AHEAD = PUBLISHED_BEFORE_SIGNING.multipliedBy(2);
  /** How long a node signs with a key before it reads the store again. */
  public static final Duration CACHE_TTL = Duration.ofSeconds(10);

  private final SigningKeyStore store;
  private final Clock clock;
  private final Duration rotationPeriod;
  private final Map<String, CachedSigner> signers = new ConcurrentHashMap<>();
  private final SecurityEvents events;
  private final SigningImplementation implementation;
  /** The public keys each account published when the store last answered, served while it does not. */
  private final Map<String, List<PublishedKey>> lastPublished = new ConcurrentHashMap<>();

  /** The key that signs, with its kid for the JWS header. */
  public record Signer(String kid, JWSSigner signer) {
  }

  /**
   * What a rotation did.
   *
   * @param key the new key
   * @param signsFrom when it starts signing (now, for a rotation of a compromised key)
   * @param retired the keys it replaces: each signs until {@code signsFrom} (or never again) and stays published
   *     until its {@link SigningKey#notAfter()}
   */
  public record Rotation(SigningKey key, Instant signsFrom, List<SigningKey> retired) {
  }

  private record CachedSigner(Signer signer, Instant validUntil) {
  }

  private record PublishedKey(JWK jwk, Instant notAfter) {
  }

  public SigningKeys(SigningKeyStore store, Clock clock, Duration rotationPeriod) {
    this(store, clock, rotationPeriod, SecurityEvents.NONE);
  }

  /** Keys that sign with Bouncy Castle, in pure Java (see {@link SigningImplementation}). */
  public SigningKeys(SigningKeyStore store, Clock clock, Duration rotationPeriod, SecurityEvents events) {
    this(store, clock, rotationPeriod, events, SigningImplementation.pureJava());
  }

  public SigningKeys(SigningKeyStore store, Clock clock, Duration rotationPeriod, SecurityEvents events,
      SigningImplementation implementation) {
    this.store = store;
    this.clock = clock;
    this.rotationPeriod = rotationPeriod;
    this.events = events;
    this.implementation = implementation;
  }

  public Signer signerFor(Account account) {
    var now = clock.instant();
    var cached = signers.get(account.name());
    if (cached != null && now.isBefore(cached.validUntil())) {
      return cached.signer();
    }
    // an account gets its first key when it is created: no active key means the last one's period is over
    var key = store.activeSigningKeys(Optional.of(account.name()), now).stream().findFirst()
        .orElseGet(() -> rotated(account, create(account, now), KeyRotated.BY_SCHEDULE));
    publishSuccessorInTime(account, key, now);
    var signer = new Signer(key.kid(), signerOf(key));
    var validUntil = now.plus(CACHE_TTL).isBefore(key.retireAfter()) ? now.plus(CACHE_TTL) : key.retireAfter();
    signers.put(account.name(), new CachedSigner(signer, validUntil));
    return signer;
  }

  /**
   * Near the end of a key's rotation period, publishes the key that takes over when it ends, so that it is
   * published at least {@link #PUBLISHED_BEFORE_SIGNING} before it signs: found late (no token was signed for a
   * while), the current key signs a little longer. Nodes that do this at once make the same key (its kid follows
   * from the key it succeeds), so only one is stored.
   */
  private void publishSuccessorInTime(Account account, SigningKey signing, Instant now) {
    if (now.plus(SUCCESSOR_AHEAD).isBefore(signing.retireAfter())) {
      return;
    }
    var successor = store.publishedSigningKeys(Optional.of(account.name()), now).stream()
        .anyMatch(key -> !key.createdAt().isBefore(signing.retireAfter()));
    if (successor) {
      return;
    }
    var earliest = now.plus(PUBLISHED_BEFORE_SIGNING);
    var signsFrom = earliest.isAfter(signing.retireAfter()) ? earliest : signing.retireAfter();
    var kid = UUID.nameUUIDFromBytes(("successor of " + signing.kid()).getBytes(StandardCharsets.UTF_8)).toString();
    try {
      rotated(account, save(account, kid, signsFrom), KeyRotated.BY_SCHEDULE);
    } catch (DuplicateException e) {
      return; // another node published it first
    }
    if (signsFrom.isAfter(signing.retireAfter())) {
      retire(signing, signsFrom, signsFrom.plus(account.accessTokenLifetime()));
    }
  }

  /**
   * The public halves of every key whose tokens may still be valid, and of the key that signs next (RFC 7517 JWK
   * set). While the store cannot be reached, the set it last gave (less the keys that expired since), so that
   * resource servers go on verifying the tokens in flight.
   */
  public JWKSet publishedKeys(String accountName) {
    var now = clock.instant();
    List<PublishedKey> keys;
    try {
      keys = store.publishedSigningKeys(Optional.of(accountName), now).stream()
          .map(key -> new PublishedKey(publicJwk(key), key.notAfter()))
          .toList();
      lastPublished.put(accountName, keys);
    } catch (StoreUnavailableException e) {
      keys = Optional.ofNullable(lastPublished.get(accountName)).orElseThrow(() -> e);
    }
    return new JWKSet(keys.stream().filter(key -> key.notAfter().isAfter(now)).map(PublishedKey::jwk).toList());
  }

  private static JWK publicJwk(SigningKey key) {
    try {
      return ECKey.parse(key.publicJwk());
    } catch (ParseException e) {
      throw new IllegalStateException("stored public key " + key.kid() + " is not a JWK", e);
    }
  }

  /**
   * A new key, published now, that signs from {@link #PUBLISHED_BEFORE_SIGNING} from now; the keys that would sign
   * after that retire then, and stay published until their last tokens expire.
   */
  public Rotation rotate(Account account) {
    var now = clock.instant();
    var signsFrom = now.plus(PUBLISHED_BEFORE_SIGNING);
    var retired = new ArrayList<SigningKey>();
    for (var key : ownKeys(account, now)) {
      if (key.retireAfter().isAfter(signsFrom)) {
        // a successor published ahead of its time would never sign now: it leaves the set at once
        retired.add(key.createdAt().isBefore(signsFrom)
            ? retire(key, signsFrom, signsFrom.plus(account.accessTokenLifetime())) : retire(key, now, now));
      }
    }
    var created = save(account, UUID.randomUUID().toString(), signsFrom);
    signers.remove(account.name());
    rotated(account, created, KeyRotated.BY_OPERATOR);
    return new Rotation(created, signsFrom, retired);
  }

  /**
   * For a compromised key: a new key signs from now, and every other key of the account leaves the JWK set now,
   * so that every token they signed stops verifying (clients refresh to get new ones).
   */
  public Rotation rotateNow(Account account) {
    var now = clock.instant();
    var retired = new ArrayList<SigningKey>();
    for (var key : ownKeys(account, now)) {
      retired.add(retire(key, key.retireAfter().isBefore(now) ? key.retireAfter() : now, now));
    }
    var created = save(account, UUID.randomUUID().toString(), now);
    signers.remove(account.name());
    lastPublished.remove(account.name());
    rotated(account, created, KeyRotated.BY_OPERATOR);
    return new Rotation(created, now, retired);
  }

  /** The account's own published keys (not the keys of every account). */
  private List<SigningKey> ownKeys(Account account, Instant now) {
    return store.publishedSigningKeys(Optional.of(account.name()), now).stream()
        .filter(key -> key.accountName().equals(Optional.of(account.name())))
        .toList();
  }

  /** Ends the key's signing at {@code retireAfter} and its publication at {@code notAfter}. */
  private SigningKey retire(SigningKey key, Instant retireAfter, Instant notAfter) {
    store.retireSigningKey(key.kid(), retireAfter, notAfter);
    return new SigningKey(key.kid(), key.accountName(), key.algorithm(), key.privateJwk(), key.publicJwk(),
        key.createdAt(), retireAfter, notAfter);
  }

  private SigningKey rotated(Account account, SigningKey key, String trigger) {
    events.report(new KeyRotated(account.name(), key.kid(), trigger));
    return key;
  }

  /** A new key for the account, signing from now for one rotation period. */
  public SigningKey create(Account account) {
    return create(account, clock.instant());
  }

  private SigningKey create(Account account, Instant now) {
    return save(account, UUID.randomUUID().toString(), now);
  }

  /** A new key, published from now, signing from {@code signsFrom} for one rotation period. */
  private SigningKey save(Account account, String kid, Instant signsFrom) {
    ECKey key;
    try {
      key = new ECKeyGenerator(Curve.P_256)
          .keyID(kid)
          .keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.ES256)
          .generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate a P-256 key", e);
    }
    var retireAfter = signsFrom.plus(rotationPeriod);
    var stored = new SigningKey(key.getKeyID(), Optional.of(account.name()), JWSAlgorithm.ES256.getName(),
        key.toJSONString(), key.toPublicJWK().toJSONString(), signsFrom, retireAfter,
        retireAfter.plus(account.accessTokenLifetime()));
    store.saveSigningKey(stored);
    return stored;
  }

  /**
   * Generates a throwaway key and signs a token with it, so that the classes and tables of signing are ready
   * before the first request needs them (see {@link io.meshyauth.server.WarmUp}).
   */
  public static void warmUp(SigningImplementation implementation) throws JOSEException {
    var key = new ECKeyGenerator(Curve.P_256).keyID("warm-up").generate();
    var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
        new JWTClaimsSet.Builder().subject("warm-up").build());
    jwt.sign(implementation.signer(key));
    jwt.serialize();
  }

  private JWSSigner signerOf(SigningKey key) {
    try {
      return implementation.signer(ECKey.parse(key.privateJwk()));
    } catch (ParseException | JOSEException e) {
      throw new IllegalStateException("stored signing key " + key.kid() + " is not a usable P-256 JWK", e);
    }
  }
}
