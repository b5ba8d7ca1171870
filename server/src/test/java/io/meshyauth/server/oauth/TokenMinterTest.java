package io.meshyauth.server.oauth;

import static io.meshyauth.server.oauth.GrantFixture.ACCESS_LIFETIME;
import static io.meshyauth.server.oauth.GrantFixture.ACCOUNT;
import static io.meshyauth.server.oauth.GrantFixture.CLIENT;
import static io.meshyauth.server.oauth.GrantFixture.FAMILY_LIFETIME;
import static io.meshyauth.server.oauth.GrantFixture.OFFLINE;
import static io.meshyauth.server.oauth.GrantFixture.REFRESH_LIFETIME;
import static io.meshyauth.server.oauth.GrantFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.meshyauth.server.token.AccessTokenVerifier;
import io.meshyauth.server.token.RefreshTokens;
import io.meshyauth.server.values.Scope;
import java.time.Duration;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The tokens of one grant: what they say, how long they live, and which family a refresh token joins. */
class TokenMinterTest {
  private final GrantFixture fixture = new GrantFixture();
  private final TokenMinter minter = fixture.minter;
  private final AccessTokenVerifier verifier = new AccessTokenVerifier(fixture.keys, fixture.issuer, fixture.clock,
      TokenMinter.AUDIENCE);

  @Test
  void loginWithOfflineAccessMintsAnAccessTokenOfTheAccountAndARefreshTokenStartingAFamily() throws Exception {
    var minted = minter.mint(fixture.account, fixture.alice, CLIENT, Scope.parse(OFFLINE));

    var tokens = minted.tokens();
    var record = minted.refreshToken().orElseThrow();
    assertThat(tokens.expiresIn()).isEqualTo(ACCESS_LIFETIME);
    assertThat(tokens.scope()).isEqualTo(Scope.parse(OFFLINE));
    assertThat(tokens.idToken()).isEmpty();
    var verified = verifier.verify(fixture.account, tokens.accessToken()).orElseThrow();
    assertThat(verified.subject()).isEqualTo(fixture.alice.id());
    assertThat(verified.clientId()).isEqualTo(CLIENT);
    assertThat(verified.sessionId()).contains(record.familyId());
    var claims = SignedJWT.parse(tokens.accessToken()).getJWTClaimsSet();
    assertThat(claims.getStringClaim("scope")).isEqualTo(OFFLINE);
    assertThat(claims.getStringClaim("id")).isEqualTo(fixture.alice.username());
    assertThat(claims.getIssueTime()).isEqualTo(Date.from(T0));
    assertThat(claims.getExpirationTime()).isEqualTo(Date.from(T0.plus(ACCESS_LIFETIME)));

    assertThat(record.tokenHash()).isEqualTo(RefreshTokens.hash(tokens.refreshToken().orElseThrow()));
    assertThat(record.accountName()).isEqualTo(ACCOUNT);
    assertThat(record.clientId()).isEqualTo(CLIENT);
    assertThat(record.userId()).isEqualTo(fixture.alice.id());
    assertThat(record.scope()).isEqualTo(Scope.parse(OFFLINE));
    assertThat(record.issuedAt()).isEqualTo(T0);
    assertThat(record.expiresAt()).isEqualTo(T0.plus(REFRESH_LIFETIME));
    assertThat(record.familyExpiresAt()).isEqualTo(T0.plus(FAMILY_LIFETIME));
    assertThat(record.isLive()).isTrue();
    // persisting is the grant handler's decision, after every check passed
    assertThat(fixture.database.refreshTokenCount()).isZero();
  }

  @ParameterizedTest(name = "[{0}]")
  @CsvSource({"meshy.api", "meshy.api openid", "openid"})
  void withoutOfflineAccessThereIsNoRefreshTokenAndNoSession(String scope) {
    var minted = minter.mint(fixture.account, fixture.alice, CLIENT, Scope.parse(scope));

    assertThat(minted.refreshToken()).isEmpty();
    assertThat(minted.tokens().refreshToken()).isEmpty();
    assertThat(verifier.verify(fixture.account, minted.tokens().accessToken()).orElseThrow().sessionId()).isEmpty();
  }

  @ParameterizedTest(name = "[{0}]: ID token {1}")
  @CsvSource({
      "meshy.api openid,                true",
      "openid offline_access,           true",
      "meshy.api offline_access,        false",
      "meshy.api,                       false",
  })
  void anIdTokenForTheClientOnlyWhenOpenidIsGranted(String scope, boolean expected) throws Exception {
    var tokens = minter.mint(fixture.account, fixture.alice, CLIENT, Scope.parse(scope)).tokens();

    assertThat(tokens.idToken().isPresent()).isEqualTo(expected);
    if (expected) {
      var claims = SignedJWT.parse(tokens.idToken().get()).getJWTClaimsSet();
      assertThat(claims.getSubject()).isEqualTo(fixture.alice.id());
      assertThat(claims.getAudience()).containsExactly(CLIENT);
      // an ID token is no access token
      assertThat(verifier.verify(fixture.account, tokens.idToken().get())).isEmpty();
    }
  }

  /** Lifetimes of {@link GrantFixture}: each token a day from its issue, its family three days from the login. */
  @ParameterizedTest(name = "refreshed {0} after the login: expires {1} after it")
  @CsvSource({
      "PT0S,   P1D",
      "PT12H,  PT36H",
      "P2D,    P3D",
      "PT60H,  P3D",
      "PT71H,  P3D",
  })
  void aRefreshedTokenLivesItsOwnLifetimeButNeverPastItsFamilysEnd(Duration elapsed, Duration expiresAfterLogin) {
    var login = minter.mint(fixture.account, fixture.alice, CLIENT, Scope.parse(OFFLINE)).refreshToken()
        .orElseThrow();
    fixture.clock.advance(elapsed);

    var successor = minter.mint(fixture.account, fixture.alice, CLIENT, Scope.parse(OFFLINE), login).refreshToken()
        .orElseThrow();

    assertThat(successor.familyId()).isEqualTo(login.familyId());
    assertThat(successor.familyExpiresAt()).isEqualTo(login.familyExpiresAt());
    assertThat(successor.issuedAt()).isEqualTo(T0.plus(elapsed));
    assertThat(successor.expiresAt()).isEqualTo(T0.plus(expiresAfterLogin));
    assertThat(successor.tokenHash()).isNotEqualTo(login.tokenHash());
  }

  @Test
  void everyLoginStartsAFamilyOfItsOwn() {
    var first = minter.mint(fixture.account, fixture.alice, CLIENT, Scope.parse(OFFLINE)).refreshToken()
        .orElseThrow();
    var second = minter.mint(fixture.account, fixture.alice, CLIENT, Scope.parse(OFFLINE)).refreshToken()
        .orElseThrow();

    assertThat(second.familyId()).isNotEqualTo(first.familyId());
  }
}
