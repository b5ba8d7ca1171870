package io.meshyauth.server.oauth;

import io.meshyauth.server.limit.InMemoryBuckets;
import io.meshyauth.server.limit.LoginThrottle;
import io.meshyauth.server.password.Argon2PasswordHasher;
import io.meshyauth.server.password.Argon2PasswordHasher.Argon2Parameters;
import io.meshyauth.server.password.PasswordHasher;
import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.RefreshTokenRecord;
import io.meshyauth.server.store.RefreshTokenStore;
import io.meshyauth.server.store.Stores;
import io.meshyauth.server.store.User;
import io.meshyauth.server.testing.InMemoryStores;
import io.meshyauth.server.testing.MutableClock;
import io.meshyauth.server.token.AccessTokenIssuer;
import io.meshyauth.server.token.RefreshTokens;
import io.meshyauth.server.token.SigningKeys;
import io.meshyauth.server.values.Password;
import io.meshyauth.server.values.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What a grant test starts from, fresh for each test: account {@value #ACCOUNT} with two clients and user
 * {@value #USERNAME}, a second account, in-memory stores, a clock the test moves, and the cheapest Argon2id there
 * is (these tests are about decisions, not cost).
 */
final class GrantFixture {
  static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
  static final String ACCOUNT = "acme";
  static final String CLIENT = "acme-web";
  static final String OTHER_CLIENT = "acme-mobile";
  static final String OTHER_ACCOUNT = "globex";
  static final String OTHER_ACCOUNT_CLIENT = "globex-web";
  static final String USERNAME = "alice";
  static final String PASSWORD = "correct horse battery staple";
  static final String ADDRESS = "192.0.2.1";
  static final String OFFLINE = "meshy.api offline_access";
  static final Scope ALLOWED = Scope.parse("meshy.api offline_access openid");
  static final Duration ACCESS_LIFETIME = Duration.ofHours(1);
  static final Duration REFRESH_LIFETIME = Duration.ofDays(1);
  static final Duration FAMILY_LIFETIME = Duration.ofDays(3);
  static final Argon2Parameters CHEAPEST = new Argon2Parameters(8, 1, 1);

  final MutableClock clock = new MutableClock(T0);
  final InMemoryStores database = new InMemoryStores();
  final Stores stores = database.open();
  final PasswordHasher hasher = new Argon2PasswordHasher(CHEAPEST);
  final SigningKeys keys = new SigningKeys(stores.signingKeys(), clock, Duration.ofDays(90));
  final AccessTokenIssuer issuer = new AccessTokenIssuer(keys, () -> "https://auth.example");
  final TokenMinter minter = new TokenMinter(issuer, new RefreshTokens(), clock);
  final Account account = account(ACCOUNT, CLIENT, OTHER_CLIENT);
  final User alice;

  GrantFixture() {
    stores.accounts().createAccount(account);
    stores.accounts().createAccount(account(OTHER_ACCOUNT, OTHER_ACCOUNT_CLIENT));
    alice = createUser(USERNAME, PASSWORD);
  }

  static Account account(String name, String... clientIds) {
    return new Account(name, Set.of(clientIds), ALLOWED, ACCESS_LIFETIME, REFRESH_LIFETIME, FAMILY_LIFETIME, 6_000,
        false);
  }

  /** A user of {@value #ACCOUNT} whose password is hashed with {@code with}. */
  User createUser(String username, String password, PasswordHasher with) {
    var user = new User(UUID.randomUUID().toString(), ACCOUNT, username,
        Optional.of(with.hash(Password.of(password))), true, true, false, T0);
    stores.users().createUser(user);
    return user;
  }

  User createUser(String username, String password) {
    return createUser(username, password, hasher);
  }

  User createAnonymousUser(String username) {
    var user = new User(UUID.randomUUID().toString(), ACCOUNT, username, Optional.empty(), true, false, true, T0);
    stores.users().createUser(user);
    return user;
  }

  ClientAuthenticator clients() {
    return new ClientAuthenticator(stores.accounts());
  }

  PasswordGrantHandler passwordGrant() {
    return passwordGrant(LoginThrottle.Budgets.standard(), hasher);
  }

  PasswordGrantHandler passwordGrant(LoginThrottle.Budgets budgets, PasswordHasher with) {
    return new PasswordGrantHandler(clients(), stores.users(), stores.refreshTokens(), with,
        new LoginThrottle(new InMemoryBuckets(1_000), budgets), minter);
  }

  /** Without a grace window: a rotated token presented again is a replay. */
  RefreshGrantHandler refreshGrant() {
    return new RefreshGrantHandler(clients(), stores.users(), stores.refreshTokens(), minter);
  }

  RefreshGrantHandler refreshGrant(Duration graceWindow) {
    return refreshGrant(graceWindow, stores.refreshTokens());
  }

  RefreshGrantHandler refreshGrant(Duration graceWindow, RefreshTokenStore refreshTokens) {
    return new RefreshGrantHandler(clients(), stores.users(), refreshTokens, minter, graceWindow);
  }

  RevocationHandler revocation() {
    return new RevocationHandler(stores.accounts(), stores.refreshTokens(), clock);
  }

  Grants grants() {
    return new Grants(passwordGrant(), refreshGrant());
  }

  /** {@value #USERNAME}'s login at {@value #CLIENT} with {@code scope}: her refresh token. */
  String login(String scope) {
    return passwordGrant().handle(passwordRequest(USERNAME, PASSWORD, scope)).refreshToken().orElseThrow();
  }

  /** What the store holds for the refresh token. */
  RefreshTokenRecord stored(String refreshToken) {
    return stores.refreshTokens().findRefreshToken(RefreshTokens.hash(refreshToken)).orElseThrow();
  }

  /** At {@value #ACCOUNT} from {@value #CLIENT}; a null scope is a request that names none. */
  static TokenRequest.PasswordGrant passwordRequest(String username, String password, String scope) {
    return passwordRequest(ACCOUNT, CLIENT, username, password, scope);
  }

  static TokenRequest.PasswordGrant passwordRequest(String accountName, String clientId, String username,
      String password, String scope) {
    return new TokenRequest.PasswordGrant(accountName, clientId, username, Password.of(password), scope(scope),
        ADDRESS);
  }

  /** At {@value #ACCOUNT} from {@value #CLIENT}; a null scope is a request that names none. */
  static TokenRequest.RefreshGrant refreshRequest(String refreshToken, String scope) {
    return refreshRequest(ACCOUNT, CLIENT, refreshToken, scope);
  }

  static TokenRequest.RefreshGrant refreshRequest(String accountName, String clientId, String refreshToken,
      String scope) {
    return new TokenRequest.RefreshGrant(accountName, clientId, refreshToken, scope(scope), "192.0.2.1");
  }

  static Optional<Scope> scope(String scope) {
    return Optional.ofNullable(scope).map(Scope::parse);
  }
}
