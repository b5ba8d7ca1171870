package io.meshyauth.server.oauth;

import static io.meshyauth.server.oauth.GrantFixture.ACCOUNT;
import static io.meshyauth.server.oauth.GrantFixture.CLIENT;
import static io.meshyauth.server.oauth.GrantFixture.OFFLINE;
import static io.meshyauth.server.oauth.GrantFixture.PASSWORD;
import static io.meshyauth.server.oauth.GrantFixture.T0;
import static io.meshyauth.server.oauth.GrantFixture.USERNAME;
import static io.meshyauth.server.oauth.GrantFixture.passwordRequest;
import static io.meshyauth.server.testing.OAuthErrors.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshyauth.server.limit.LoginThrottle;
import io.meshyauth.server.limit.RateLimitExceededException;
import io.meshyauth.server.password.Argon2PasswordHasher;
import io.meshyauth.server.password.Argon2PasswordHasher.Argon2Parameters;
import io.meshyauth.server.password.HashingBusyException;
import io.meshyauth.server.password.PasswordHasher;
import io.meshyauth.server.values.Password;
import io.meshyauth.server.values.Scope;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6749 section 4.3 over in-memory stores: who may log in, with what scope, and what a login stores. */
class PasswordGrantHandlerTest {
  /** One failed login per username and address: the second guess is over budget. */
  private static final LoginThrottle.Budgets ONE_GUESS = new LoginThrottle.Budgets(1, 100, 100,
      Duration.ofMinutes(15));

  private final GrantFixture fixture = new GrantFixture();
  private final GrantFixture.Dispatch handler = fixture.passwordGrant();

  @Test
  void theRightPasswordIssuesTokensAndStoresTheRefreshTokenAsTheStartOfAFamily() {
    var tokens = handler.handle(passwordRequest(USERNAME, PASSWORD, OFFLINE));

    var stored = fixture.stored(tokens.refreshToken().orElseThrow());
    assertThat(stored.isLive()).isTrue();
    assertThat(stored.accountName()).isEqualTo(ACCOUNT);
    assertThat(stored.clientId()).isEqualTo(CLIENT);
    assertThat(stored.userId()).isEqualTo(fixture.alice.id());
    assertThat(stored.scope()).isEqualTo(Scope.parse(OFFLINE));
    assertThat(stored.issuedAt()).isEqualTo(T0);
    assertThat(tokens.accessToken()).isNotBlank();
  }

  @ParameterizedTest(name = "asked [{0}]: granted [{1}], refresh token {2}")
  @CsvSource(nullValues = "none", value = {
      "none,                     meshy.api openid,         false",
      "meshy.api,                meshy.api,                false",
      "meshy.api offline_access, meshy.api offline_access, true",
      "openid offline_access,    openid offline_access,    true",
  })
  void aLoginGetsTheScopeItAsksForAndARefreshTokenOnlyWithOfflineAccess(String requested, String granted,
      boolean refreshToken) {
    var tokens = handler.handle(passwordRequest(USERNAME, PASSWORD, requested));

    assertThat(tokens.scope()).isEqualTo(Scope.parse(granted));
    assertThat(tokens.refreshToken().isPresent()).isEqualTo(refreshToken);
    assertThat(fixture.database.refreshTokenCount()).isEqualTo(refreshToken ? 1 : 0);
  }

  @ParameterizedTest(name = "{2} / {3} from {1} at {0}")
  @CsvSource(quoteCharacter = '"', value = {
      // an unknown user and a wrong password read the same to the client; the log tells them apart
      "acme,    acme-web,       nobody,   anything,       meshy.api,       invalid_grant,  "
          + "Username or password is invalid., unknown username",
      "acme,    acme-web,       alice,    wrong,          meshy.api,       invalid_grant,  "
          + "Username or password is invalid., wrong password",
      "acme,    acme-web,       alice,    nopassword,     meshy.api,       invalid_grant,  "
          + "Username or password is invalid., wrong password",
      "acme,    acme-web,       device-1, wrong,          meshy.api,       invalid_grant,  "
          + "Username or password is invalid., wrong password for an anonymous user",
      "acme,    acme-web,       bob,      bobs password,  meshy.api,       invalid_grant,  "
          + "User is no longer active.,        user deactivated",
      // an inactive user is told so only by whoever knows the password
      "acme,    acme-web,       bob,      wrong,          meshy.api,       invalid_grant,  "
          + "Username or password is invalid., wrong password",
      "nowhere, acme-web,       alice,    correct horse battery staple, meshy.api, invalid_client, "
          + "Client id is invalid.,            no such account",
      "acme,    unknown-client, alice,    correct horse battery staple, meshy.api, invalid_client, "
          + "Client id is invalid.,            the account has no such client",
      "acme,    globex-web,     alice,    correct horse battery staple, meshy.api, invalid_client, "
          + "Client id is invalid.,            the account has no such client",
      "acme,    acme-web,       alice,    correct horse battery staple, meshy.api admin, invalid_scope, "
          + "Invalid scope.,                   scope beyond the account's allowed scopes",
  })
  void aRefusedLoginSaysWhyToTheLogAndStoresNothing(String accountName, String clientId, String username,
      String password, String scope, String code, String description, String detail) {
    var bob = fixture.createUser("bob", "bobs password");
    fixture.stores.users().updateUser(bob.withActive(false));
    fixture.createAnonymousUser("device-1");

    assertRefused(() -> handler.handle(passwordRequest(accountName, clientId, username, password, scope)), code, 400,
        description, detail);
    assertThat(fixture.database.refreshTokenCount()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "deactivated, User is no longer active.,        user deactivated",
      "deleted,     Username or password is invalid., unknown username",
  })
  void aUserNoLongerActiveCannotLogInWithTheRightPassword(String change, String description, String detail) {
    var users = fixture.stores.users();
    switch (change) {
      case "deactivated" -> users.updateUser(fixture.alice.withActive(false));
      case "deleted" -> users.deleteUser(ACCOUNT, fixture.alice.id());
      default -> throw new IllegalArgumentException(change);
    }

    assertRefused(() -> handler.handle(passwordRequest(USERNAME, PASSWORD, OFFLINE)), "invalid_grant", 400,
        description, detail);
  }

  @Test
  void aReactivatedUserLogsInAgain() {
    fixture.stores.users().updateUser(fixture.alice.withActive(false));
    fixture.stores.users().updateUser(fixture.alice.withActive(true));

    assertThat(handler.handle(passwordRequest(USERNAME, PASSWORD, OFFLINE)).refreshToken()).isPresent();
  }

  @ParameterizedTest(name = "as {0}")
  @CsvSource({"device-1", "DEVICE-1", "' device-1 '"})
  void anAnonymousUserLogsInWithTheStaticPasswordUnderAnyFormOfItsName(String username) {
    fixture.createAnonymousUser("device-1");

    var tokens = handler.handle(passwordRequest(username, "nopassword", OFFLINE));

    assertThat(fixture.stored(tokens.refreshToken().orElseThrow()).userId())
        .isEqualTo(fixture.stores.users().findUser(ACCOUNT, "device-1").orElseThrow().id());
  }

  @Test
  void aWrongPasswordSpendsTheFailedLoginBudgetSoTheNextGuessIsRefusedUnchecked() {
    var throttled = fixture.passwordGrant(ONE_GUESS, fixture.hasher);
    assertRefused(() -> throttled.handle(passwordRequest(USERNAME, "wrong", OFFLINE)), "invalid_grant", 400,
        "Username or password is invalid.", "wrong password");

    assertThatThrownBy(() -> throttled.handle(passwordRequest(USERNAME, PASSWORD, OFFLINE)))
        .isInstanceOf(RateLimitExceededException.class);
  }

  @Test
  void theRightPasswordGivesItsUnitOfTheBudgetBack() {
    var throttled = fixture.passwordGrant(ONE_GUESS, fixture.hasher);

    for (int i = 0; i < 3; i++) {
      assertThat(throttled.handle(passwordRequest(USERNAME, PASSWORD, OFFLINE)).refreshToken()).isPresent();
    }
  }

  @Test
  void aLoginRefusedBeforeItsPasswordIsCheckedSpendsNoBudget() {
    var throttled = fixture.passwordGrant(ONE_GUESS, fixture.hasher);
    for (int i = 0; i < 3; i++) {
      assertRefused(() -> throttled.handle(passwordRequest(ACCOUNT, "unknown-client", USERNAME, "wrong", OFFLINE)),
          "invalid_client", 400, "Client id is invalid.", "the account has no such client");
      assertRefused(() -> throttled.handle(passwordRequest(USERNAME, "wrong", "admin")), "invalid_scope", 400,
          "Invalid scope.", "scope beyond the account's allowed scopes");
    }

    assertThat(throttled.handle(passwordRequest(USERNAME, PASSWORD, OFFLINE)).refreshToken()).isPresent();
  }

  @Test
  void aLoginTurnedAwayByABusyHasherSpendsNoBudget() {
    var hasher = new BusyHasher(fixture.hasher);
    var throttled = fixture.passwordGrant(ONE_GUESS, hasher);
    hasher.busy = true;

    assertThatThrownBy(() -> throttled.handle(passwordRequest(USERNAME, "wrong", OFFLINE)))
        .isInstanceOf(HashingBusyException.class);
    hasher.busy = false;

    assertThat(throttled.handle(passwordRequest(USERNAME, PASSWORD, OFFLINE)).refreshToken()).isPresent();
  }

  @Test
  void aHashMadeWithOtherParametersIsReplacedAtTheNextRightLoginOnly() {
    var older = new Argon2PasswordHasher(new Argon2Parameters(16, 2, 1));
    var carol = fixture.createUser("carol", "carols password", older);
    var oldHash = carol.passwordHash().orElseThrow();

    assertRefused(() -> handler.handle(passwordRequest("carol", "wrong", OFFLINE)), "invalid_grant", 400,
        "Username or password is invalid.", "wrong password");
    assertThat(fixture.stores.users().findUser(ACCOUNT, "carol").orElseThrow().passwordHash()).contains(oldHash);

    handler.handle(passwordRequest("carol", "carols password", OFFLINE));

    var newHash = fixture.stores.users().findUser(ACCOUNT, "carol").orElseThrow().passwordHash().orElseThrow();
    assertThat(newHash).isNotEqualTo(oldHash);
    assertThat(fixture.hasher.needsRehash(newHash)).isFalse();
    assertThat(fixture.hasher.verify(Password.of("carols password"), newHash)).isTrue();
    assertThat(handler.handle(passwordRequest("carol", "carols password", OFFLINE)).refreshToken()).isPresent();
  }

  /** Refuses every hash while busy, as a full hashing queue does. */
  private static final class BusyHasher implements PasswordHasher {
    private final PasswordHasher real;
    volatile boolean busy;

    BusyHasher(PasswordHasher real) {
      this.real = real;
    }

    @Override
    public String hash(Password password) {
      return real.hash(password);
    }

    @Override
    public boolean verify(Password password, String storedHash) {
      refuseWhenBusy();
      return real.verify(password, storedHash);
    }

    @Override
    public void verifyAgainstDummy(Password password) {
      refuseWhenBusy();
      real.verifyAgainstDummy(password);
    }

    @Override
    public boolean needsRehash(String storedHash) {
      return real.needsRehash(storedHash);
    }

    private void refuseWhenBusy() {
      if (busy) {
        throw new HashingBusyException(1, 0);
      }
    }
  }
}
