package io.meshyauth.server;

import static io.meshyauth.server.TestServer.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.meshyauth.server.testing.MutableClock;
import io.meshyauth.server.token.SigningKeys;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A key is in the JWK set before its first token, for longer than a resource server may cache the set; a retired
 * key stays there until its last token expires; a compromised key leaves it at once.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(StoreKind.class)
class KeyRotationTest {
  private static final String JWKS_PATH = "/" + ACCOUNT + "/.well-known/openid-configuration/jwks";
  private static final String USERINFO_PATH = "/" + ACCOUNT + "/connect/userinfo";
  private static final Pattern MAX_AGE = Pattern.compile("max-age=(\\d+)");
  private static final Duration ROTATION_PERIOD = Duration.ofDays(90);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
  private final TestServer server;

  KeyRotationTest(StoreKind store) {
    server = TestServer.start(store, clock);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aRotatedKeyIsPublishedAtOnceAndSignsOnlyOnceEveryCachedJwkSetHasIt() throws Exception {
    var before = kidOfNewToken();

    var rotation = server.server.provisioning().rotateSigningKey(ACCOUNT);

    var jwks = server.http.get(JWKS_PATH);
    var matcher = MAX_AGE.matcher(jwks.header("Cache-Control"));
    assertThat(matcher.find()).as(jwks.header("Cache-Control")).isTrue();
    var maxAge = Duration.ofSeconds(Long.parseLong(matcher.group(1)));
    assertThat(kids()).contains(before, rotation.key().kid());
    // a resource server that cached the set just before the rotation fetches it again now: the old key still signs
    clock.advance(maxAge);
    assertThat(kidOfNewToken()).isEqualTo(before);
    clock.advance(Duration.between(clock.instant(), rotation.signsFrom()));
    assertThat(kidOfNewToken()).isEqualTo(rotation.key().kid());
    assertThat(rotation.signsFrom()).isAfter(Instant.parse("2026-11-29T12:00:00Z").plus(maxAge));
  }

  @Test
  void aRetiredKeyStaysPublishedUntilTheLastTokenItSignedHasExpired() throws Exception {
    var before = kidOfNewToken();
    var rotation = server.server.provisioning().rotateSigningKey(ACCOUNT);
    clock.advance(Duration.between(clock.instant(), rotation.signsFrom()).minusSeconds(1));
    var signedLast = server.login().text("access_token");
    assertThat(SignedJWT.parse(signedLast).getHeader().getKeyID()).isEqualTo(before);
    clock.advance(Duration.ofSeconds(1));
    assertThat(kidOfNewToken()).isEqualTo(rotation.key().kid());

    var lifetime = Duration.ofHours(1);
    clock.advance(lifetime.minusSeconds(2));
    assertThat(kids()).contains(before);
    assertThat(server.http.get(USERINFO_PATH, signedLast).status()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(3));
    assertThat(kids()).containsExactly(rotation.key().kid());
  }

  @Test
  void rotatingNowSignsWithTheNewKeyAtOnceAndTheOldKeysTokensStopVerifying() throws Exception {
    var token = server.login().text("access_token");
    var before = SignedJWT.parse(token).getHeader().getKeyID();
    assertThat(server.http.get(USERINFO_PATH, token).status()).isEqualTo(200);

    var rotation = server.server.provisioning().rotateSigningKeyNow(ACCOUNT);

    assertThat(rotation.signsFrom()).isEqualTo(clock.instant());
    assertThat(kidOfNewToken()).isEqualTo(rotation.key().kid());
    assertThat(kids()).containsExactly(rotation.key().kid());
    assertThat(server.http.get(USERINFO_PATH, token).status()).isEqualTo(401);
    assertThat(rotation.retired()).extracting(key -> key.kid()).containsExactly(before);
  }

  @Test
  void theSuccessorOfAKeyWhoseRotationPeriodEndsIsPublishedBeforeItSigns() throws Exception {
    var first = kidOfNewToken();
    var end = clock.instant().plus(ROTATION_PERIOD);

    clock.advance(Duration.between(clock.instant(), end).minus(SigningKeys.PUBLISHED_BEFORE_SIGNING).minusSeconds(10));
    assertThat(kidOfNewToken()).isEqualTo(first);
    var published = kids();
    assertThat(published).hasSize(2);
    var successor = published.stream().filter(kid -> !kid.equals(first)).findFirst().orElseThrow();

    clock.advance(Duration.between(clock.instant(), end));
    assertThat(kidOfNewToken()).isEqualTo(successor);
  }

  /** No token signed for a while: the successor is published late, and the current key signs until it may sign. */
  @Test
  void aSuccessorPublishedLateSignsOnlyAfterTheJwksMaxAgeAndTheCurrentKeySignsUntilThen() throws Exception {
    var first = kidOfNewToken();
    var end = clock.instant().plus(ROTATION_PERIOD);

    clock.advance(Duration.between(clock.instant(), end).minusSeconds(5));
    assertThat(kidOfNewToken()).isEqualTo(first);
    var publishedAt = clock.instant();
    var successor = kids().stream().filter(kid -> !kid.equals(first)).findFirst().orElseThrow();

    clock.advance(Duration.ofSeconds(10));
    assertThat(kidOfNewToken()).as("past the end of its period").isEqualTo(first);
    clock.advance(Duration.between(clock.instant(), publishedAt.plus(SigningKeys.PUBLISHED_BEFORE_SIGNING)));
    assertThat(kidOfNewToken()).isEqualTo(successor);
  }

  private String kidOfNewToken() throws ParseException {
    var login = server.login();
    assertThat(login.status()).isEqualTo(200);
    return SignedJWT.parse(login.text("access_token")).getHeader().getKeyID();
  }

  private java.util.List<String> kids() throws ParseException {
    return JWKSet.parse(server.http.get(JWKS_PATH).response().body()).getKeys().stream()
        .map(key -> key.getKeyID()).toList();
  }
}
