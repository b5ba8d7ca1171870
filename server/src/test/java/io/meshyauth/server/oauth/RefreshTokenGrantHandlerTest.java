package io.meshyauth.server.oauth;

import static io.meshyauth.server.oauth.GrantFixture.ACCOUNT;
import static io.meshyauth.server.oauth.GrantFixture.CLIENT;
import static io.meshyauth.server.oauth.GrantFixture.OFFLINE;
import static io.meshyauth.server.oauth.GrantFixture.REFRESH_LIFETIME;
import static io.meshyauth.server.oauth.GrantFixture.T0;
import static io.meshyauth.server.oauth.GrantFixture.refreshRequest;
import static io.meshyauth.server.testing.OAuthErrors.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshyauth.server.store.RefreshTokenRecord;
import io.meshyauth.server.store.RefreshTokenStore;
import io.meshyauth.server.store.RotationOutcome;
import io.meshyauth.server.values.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RFC 6749 section 6 over in-memory stores: each refresh token is spent once, its successor joins its family, a
 * replay ends the family (RFC 9700 section 4.14.2) unless it comes within the grace window.
 */
class RefreshTokenGrantHandlerTest {
  private static final Duration GRACE = Duration.ofSeconds(10);
  private static final String INVALID = "Refresh token is invalid.";

  private final GrantFixture fixture = new GrantFixture();
  private final String login = fixture.login(OFFLINE);

  @Test
  void aRefreshSpendsTheTokenAndIssuesASuccessorOfTheSameFamily() {
    fixture.clock.advance(Duration.ofMinutes(5));

    var tokens = fixture.refreshGrant().handle(refreshRequest(login, null));

    var successor = tokens.refreshToken().orElseThrow();
    assertThat(successor).isNotEqualTo(login);
    assertThat(fixture.stored(login).rotatedAt()).contains(T0.plus(Duration.ofMinutes(5)));
    assertThat(fixture.stored(successor).familyId()).isEqualTo(fixture.stored(login).familyId());
    assertThat(fixture.stored(successor).isLive()).isTrue();
    assertThat(tokens.scope()).isEqualTo(Scope.parse(OFFLINE));
    assertThat(tokens.accessToken()).isNotBlank();
  }

  @ParameterizedTest(name = "asked [{0}]: granted [{1}], refresh token {2}")
  @CsvSource(nullValues = "none", value = {
      "none,                     meshy.api offline_access openid, true",
      "meshy.api offline_access, meshy.api offline_access,        true",
      "openid offline_access,    openid offline_access,           true",
      "meshy.api,                meshy.api,                       false",
  })
  void aRefreshKeepsOrNarrowsTheLoginsScopeAndSpendsTheTokenEither(String requested, String granted,
      boolean refreshToken) {
    var wide = fixture.login("meshy.api offline_access openid");

    var tokens = fixture.refreshGrant().handle(refreshRequest(wide, requested));

    assertThat(tokens.scope()).isEqualTo(Scope.parse(granted));
    assertThat(tokens.refreshToken().isPresent()).isEqualTo(refreshToken);
    tokens.refreshToken().ifPresent(successor -> assertThat(fixture.stored(successor).scope())
        .isEqualTo(Scope.parse(granted)));
    assertThat(fixture.stored(wide).rotatedAt()).isPresent();
  }

  @ParameterizedTest(name = "asked [{0}]")
  @CsvSource({"meshy.api offline_access openid", "openid", "admin"})
  void aRefreshMayNotWidenTheLoginsScopeAndTheRefusalSpendsNothing(String requested) {
    assertRefused(() -> fixture.refreshGrant().handle(refreshRequest(login, requested)), "invalid_scope", 400,
        "Invalid scope.", "refresh asked to widen the token's scope");

    assertThat(fixture.stored(login).isLive()).isTrue();
  }

  /** Each token lives {@link GrantFixture#REFRESH_LIFETIME}, a day. */
  @ParameterizedTest(name = "presented {0} after it was issued: expired {1}")
  @CsvSource({
      "PT0S,            false",
      "PT23H59M59.999S, false",
      "P1D,             true",
      "P30D,            true",
  })
  void aTokenIsExpiredFromTheEndOfItsLifetime(Duration age, boolean expired) {
    fixture.clock.advance(age);

    if (expired) {
      assertRefused(() -> fixture.refreshGrant().handle(refreshRequest(login, null)), "invalid_grant", 400,
          "Refresh token is expired.", "refresh token expired");
      assertThat(fixture.stored(login).isLive()).isTrue();
    } else {
      assertThat(fixture.refreshGrant().handle(refreshRequest(login, null)).refreshToken()).isPresent();
    }
  }

  @Test
  void aFamilyEndsAtItsAbsoluteLifetimeHoweverOftenItIsRefreshed() {
    var handler = fixture.refreshGrant();
    var token = login;
    // refreshed every 20 hours: no token outlives its own day, the family ends three days after the login
    for (int i = 0; i < 3; i++) {
      fixture.clock.advance(Duration.ofHours(20));
      token = handler.handle(refreshRequest(token, null)).refreshToken().orElseThrow();
    }
    assertThat(fixture.stored(token).expiresAt()).isEqualTo(T0.plus(GrantFixture.FAMILY_LIFETIME));
    fixture.clock.advance(Duration.ofHours(12));
    var last = token;

    assertRefused(() -> handler.handle(refreshRequest(last, null)), "invalid_grant", 400,
        "Refresh token is expired.", "refresh token expired");
  }

  @ParameterizedTest
  @EnumSource(RotationOutcome.class)
  void everyRotationOutcomeIsAnsweredAsItMeans(RotationOutcome outcome) {
    var store = new ObservedRefreshTokens(fixture.stores.refreshTokens());
    var handler = fixture.refreshGrant(GRACE, store);
    var presented = refreshRequest(login, null);
    // a switch expression: an outcome added to the store does not compile until it has its case here
    Runnable scenario = switch (outcome) {
      case ROTATED -> () -> assertThat(handler.handle(presented).refreshToken()).isPresent();
      case WITHIN_GRACE -> () -> {
        var first = handler.handle(presented).refreshToken().orElseThrow();
        fixture.clock.advance(GRACE.minusMillis(1));
        var retried = handler.handle(presented).refreshToken().orElseThrow();
        assertThat(fixture.stored(retried).familyId()).isEqualTo(fixture.stored(first).familyId());
        assertThat(fixture.stored(first).isLive()).isTrue();
      };
      case REPLAYED -> () -> {
        var first = handler.handle(presented).refreshToken().orElseThrow();
        fixture.clock.advance(GRACE);
        assertRefused(() -> handler.handle(presented), "invalid_grant", 400, INVALID,
            "rotated refresh token replayed after the grace window: family revoked");
        assertThat(fixture.stored(first).familyRevoked()).isTrue();
      };
      case NOT_FOUND -> () -> {
        // the user is deleted, with its tokens, between the lookup and the rotation
        store.beforeRotation = () -> fixture.stores.users().deleteUser(ACCOUNT, fixture.alice.id());
        assertRefused(() -> handler.handle(presented), "invalid_grant", 400, INVALID,
            "refresh token gone before its rotation");
      };
    };

    scenario.run();

    assertThat(store.outcomes).last().isEqualTo(outcome);
  }

  @ParameterizedTest(name = "grace {0}, presented again {1} after the rotation: answered {2}")
  @CsvSource({
      "PT10S, PT0S,     true",
      "PT10S, PT9.999S, true",
      "PT10S, PT10S,    false",
      "PT10S, PT1H,     false",
      "PT0S,  PT0S,     false",
  })
  void aRotatedTokenPresentedAgainIsAnsweredWithinTheGraceWindowAndEndsItsFamilyAfterIt(Duration grace,
      Duration after, boolean answered) {
    var handler = fixture.refreshGrant(grace);
    var first = handler.handle(refreshRequest(login, null)).refreshToken().orElseThrow();
    fixture.clock.advance(after);

    if (answered) {
      var retried = handler.handle(refreshRequest(login, null)).refreshToken().orElseThrow();
      assertThat(fixture.stored(retried).familyId()).isEqualTo(fixture.stored(login).familyId());
      assertThat(fixture.stored(first).isLive()).isTrue();
      assertThat(fixture.stored(retried).isLive()).isTrue();
    } else {
      assertRefused(() -> handler.handle(refreshRequest(login, null)), "invalid_grant", 400, INVALID,
          "rotated refresh token replayed after the grace window: family revoked");
      assertThat(fixture.stored(first).familyRevoked()).isTrue();
    }
  }

  @Test
  void withoutAGraceWindowAReplayEndsTheFamilySoItsLiveTokenIsRefusedToo() {
    var handler = fixture.refreshGrant();
    var second = handler.handle(refreshRequest(login, null)).refreshToken().orElseThrow();
    var otherLogin = fixture.login(OFFLINE);

    assertRefused(() -> handler.handle(refreshRequest(login, null)), "invalid_grant", 400, INVALID,
        "rotated refresh token replayed after the grace window: family revoked");

    assertRefused(() -> handler.handle(refreshRequest(second, null)), "invalid_grant", 400, INVALID,
        "refresh token family revoked");
    // another login of the same user is another family, untouched
    assertThat(handler.handle(refreshRequest(otherLogin, null)).refreshToken()).isPresent();
  }

  @Test
  void aRotatedTokenPresentedAfterItsExpiryIsAReplayNotAnExpiry() {
    var handler = fixture.refreshGrant(GRACE);
    var second = handler.handle(refreshRequest(login, null)).refreshToken().orElseThrow();
    fixture.clock.advance(REFRESH_LIFETIME.plusHours(1));

    assertRefused(() -> handler.handle(refreshRequest(login, null)), "invalid_grant", 400, INVALID,
        "rotated refresh token replayed after the grace window: family revoked");
    assertThat(fixture.stored(second).familyRevoked()).isTrue();
  }

  @Test
  void anyTokenOfARevokedFamilyIsRefused() {
    var handler = fixture.refreshGrant(GRACE);
    var second = handler.handle(refreshRequest(login, null)).refreshToken().orElseThrow();
    fixture.stores.refreshTokens().revokeFamily(fixture.stored(second).familyId(), fixture.clock.instant());

    // even the rotated one, within its grace window
    for (var token : List.of(login, second)) {
      assertRefused(() -> handler.handle(refreshRequest(token, null)), "invalid_grant", 400, INVALID,
          "refresh token family revoked");
    }
  }

  @Test
  void anUnknownTokenIsInvalid() {
    assertRefused(() -> fixture.refreshGrant().handle(refreshRequest("not-a-token", null)), "invalid_grant", 400,
        INVALID, "no such refresh token");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(quoteCharacter = '"', value = {
      "deactivated,              User is no longer active., user deactivated",
      "deleted,                  Refresh token is invalid., no such refresh token",
      "deleted while refreshing, Refresh token is invalid., the token's user no longer exists",
  })
  void aUserNoLongerActiveCannotRefresh(String change, String description, String detail) {
    var users = fixture.stores.users();
    var store = new ObservedRefreshTokens(fixture.stores.refreshTokens());
    switch (change) {
      case "deactivated" -> users.updateUser(fixture.alice.withActive(false));
      case "deleted" -> users.deleteUser(ACCOUNT, fixture.alice.id());
      // the token was read before the user went
      case "deleted while refreshing" -> store.afterLookup = () -> users.deleteUser(ACCOUNT, fixture.alice.id());
      default -> throw new IllegalArgumentException(change);
    }

    assertRefused(() -> fixture.refreshGrant(Duration.ZERO, store).handle(refreshRequest(login, null)),
        "invalid_grant", 400, description, detail);
    assertThat(store.outcomes).as("nothing was rotated").isEmpty();
  }

  @ParameterizedTest(name = "presented by {1} at {0}")
  @CsvSource({
      "acme,    acme-mobile,    invalid_grant,  Refresh token is invalid., refresh token issued to another client",
      "globex,  globex-web,     invalid_grant,  Refresh token is invalid., refresh token issued to another client",
      "acme,    unknown-client, invalid_client, Client id is invalid.,     the account has no such client",
      "globex,  acme-web,       invalid_client, Client id is invalid.,     the account has no such client",
      "nowhere, acme-web,       invalid_client, Client id is invalid.,     no such account",
  })
  void aTokenIsBoundToTheClientItWasIssuedToAndAnotherOneSpendsNothing(String accountName, String clientId,
      String code, String description, String detail) {
    assertRefused(() -> fixture.refreshGrant().handle(refreshRequest(accountName, clientId, login, null)), code,
        400, description, detail);

    assertThat(fixture.stored(login).isLive()).isTrue();
    assertThat(fixture.refreshGrant().handle(refreshRequest(ACCOUNT, CLIENT, login, null)).refreshToken())
        .isPresent();
  }

  /** The store, with what rotate answered, and a change another request makes while this one runs. */
  private static final class ObservedRefreshTokens implements RefreshTokenStore {
    private final RefreshTokenStore store;
    final List<RotationOutcome> outcomes = new ArrayList<>();
    Runnable afterLookup = () -> {
    };
    Runnable beforeRotation = () -> {
    };

    ObservedRefreshTokens(RefreshTokenStore store) {
      this.store = store;
    }

    @Override
    public void saveRefreshToken(RefreshTokenRecord token) {
      store.saveRefreshToken(token);
    }

    @Override
    public Optional<RefreshTokenRecord> findRefreshToken(String tokenHash) {
      var found = store.findRefreshToken(tokenHash);
      afterLookup.run();
      return found;
    }

    @Override
    public RotationOutcome rotate(String presentedHash, Optional<RefreshTokenRecord> successor, Instant now,
        Duration graceWindow) {
      beforeRotation.run();
      var outcome = store.rotate(presentedHash, successor, now, graceWindow);
      outcomes.add(outcome);
      return outcome;
    }

    @Override
    public void revokeFamily(String familyId, Instant now) {
      store.revokeFamily(familyId, now);
    }

    @Override
    public boolean isFamilyLive(String familyId) {
      return store.isFamilyLive(familyId);
    }

    @Override
    public int purgeExpired(Instant now) {
      return store.purgeExpired(now);
    }
  }
}
