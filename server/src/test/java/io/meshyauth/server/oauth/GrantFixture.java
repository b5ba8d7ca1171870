package io.meshyauth.server.oauth;

import io.meshyauth.server.events.SecurityEvents;
import io.meshyauth.server.generated.api.TokenApi.TokenParameters;
import io.meshyauth.server.limit.InMemoryBuckets;
import io.meshyauth.server.limit.LoginThrottle;
import io.meshyauth.server.password.Argon2PasswordHasher;
import io.meshyauth.server.password.Argon2PasswordHasher.Argon2Parameters;
import io.meshyauth.server.password.PasswordHasher;
import io.meshyauth.server.routing.FormParameter;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    return new ClientAuthenticator(stores.accounts(),
        LoginThrottle.forClients(new InMemoryBuckets(1_000), LoginThrottle.Budgets.standard(), SecurityEvents.NONE));
  }

  GrantContext context(LoginThrottle.Budgets budgets, PasswordHasher with, Duration graceWindow,
      RefreshTokenStore refreshTokens) {
    return new GrantContext(stores.users(), refreshTokens, with, new LoginThrottle(new InMemoryBuckets(1_000), budgets),
        minter, graceWindow, SecurityEvents.NONE);
  }

  GrantContext context() {
    return context(LoginThrottle.Budgets.standard(), hasher, Duration.ZERO, stores.refreshTokens());
  }

  /** The password grant alone, as the endpoint reaches it: its client authenticated first. */
  Dispatch passwordGrant() {
    return passwordGrant(LoginThrottle.Budgets.standard(), hasher);
  }

  Dispatch passwordGrant(LoginThrottle.Budgets budgets, PasswordHasher with) {
    return new Dispatch(Map.of("password",
        new PasswordGrantHandler(context(budgets, with, Duration.ZERO, stores.refreshTokens()))));
  }

  /** Without a grace window: a rotated token presented again is a replay. */
  Dispatch refreshGrant() {
    return refreshGrant(Duration.ZERO);
  }

  Dispatch refreshGrant(Duration graceWindow) {
    return refreshGrant(graceWindow, stores.refreshTokens());
  }

  Dispatch refreshGrant(Duration graceWindow, RefreshTokenStore refreshTokens) {
    return new Dispatch(Map.of("refresh_token", new RefreshTokenGrantHandler(
        context(LoginThrottle.Budgets.standard(), hasher, graceWindow, refreshTokens))));
  }

  RevocationHandler revocation() {
    return new RevocationHandler(clients(), stores.accounts(), stores.refreshTokens(), clock);
  }

  /** Every grant of the document, as the server builds them. */
  Dispatch grants() {
    return new Dispatch(Grants.of(context(), clients()));
  }

  /** The account's client as authenticated. */
  AuthenticatedClient client(String accountName, String clientId) {
    return new AuthenticatedClient(stores.accounts().findAccount(accountName).orElseThrow(),
        stores.accounts().findClient(accountName, clientId).orElseThrow());
  }

  /** A token request as the endpoint hands it on: its account, what it presented of its client, and its form. */
  record Call(String accountName, ClientCredentials credentials, Map<String, String> form) {
  }

  /** Some grants with the real client authentication, reached as the token endpoint reaches them. */
  final class Dispatch {
    private final Grants grants;

    Dispatch(Map<String, GrantHandler<?>> handlers) {
      this(new Grants(handlers, clients()));
    }

    Dispatch(Grants grants) {
      this.grants = grants;
    }

    IssuedTokens handle(Call call) {
      return grants.handle(stores.accounts().findAccount(call.accountName()), call.credentials(),
          parameters(call.accountName(), call.form()), ADDRESS);
    }
  }

  /** The generated parameters of a token request with the form's fields, each sent once; the others not sent. */
  static TokenParameters parameters(String accountName, Map<String, String> form) {
    var components = TokenParameters.class.getRecordComponents();
    var values = new Object[components.length];
    var types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      var name = components[i].getName();
      types[i] = components[i].getType();
      values[i] = types[i] == String.class ? accountName
          : new FormParameter(name, form.containsKey(name) ? List.of(form.get(name)) : List.of());
    }
    try {
      return TokenParameters.class.getDeclaredConstructor(types).newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
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
  static Call passwordRequest(String username, String password, String scope) {
    return passwordRequest(ACCOUNT, CLIENT, username, password, scope);
  }

  static Call passwordRequest(String accountName, String clientId, String username, String password, String scope) {
    return new Call(accountName, ClientCredentials.publicClient(clientId),
        form("grant_type", "password", "username", username, "password", password, "scope", scope));
  }

  /** At {@value #ACCOUNT} from {@value #CLIENT}; a null scope is a request that names none. */
  static Call refreshRequest(String refreshToken, String scope) {
    return refreshRequest(ACCOUNT, CLIENT, refreshToken, scope);
  }

  static Call refreshRequest(String accountName, String clientId, String refreshToken, String scope) {
    return new Call(accountName, ClientCredentials.publicClient(clientId),
        form("grant_type", "refresh_token", "refresh_token", refreshToken, "scope", scope));
  }

  /** Names and values in turn; a null value is a field not sent. */
  static Map<String, String> form(String... namesAndValues) {
    var form = new LinkedHashMap<String, String>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (namesAndValues[i + 1] != null) {
        form.put(namesAndValues[i], namesAndValues[i + 1]);
      }
    }
    return form;
  }

  static Optional<Scope> scope(String scope) {
    return Optional.ofNullable(scope).map(Scope::parse);
  }
}
