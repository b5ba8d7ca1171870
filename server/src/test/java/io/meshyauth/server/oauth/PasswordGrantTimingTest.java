package io.meshyauth.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshyauth.server.Provisioning;
import io.meshyauth.server.ServerConfig;
import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.events.SecurityEvents;
import io.meshyauth.server.limit.InMemoryBuckets;
import io.meshyauth.server.limit.LoginThrottle;
import io.meshyauth.server.password.Argon2PasswordHasher;
import io.meshyauth.server.password.Argon2PasswordHasher.Argon2Parameters;
import io.meshyauth.server.password.PasswordHasher;
import io.meshyauth.server.store.Stores;
import io.meshyauth.server.store.jdbc.JdbcStores;
import io.meshyauth.server.token.AccessTokenIssuer;
import io.meshyauth.server.token.RefreshTokens;
import io.meshyauth.server.token.SigningKeys;
import io.meshyauth.server.values.Password;
import io.meshyauth.server.values.Scope;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * No timing oracle: every password login costs exactly one Argon2 check at the configured parameters, whether
 * the username is unknown, a user with a password, or an anonymous user (who has no hash). The benchmark's
 * timing step measures the same thing in milliseconds ({@code bench/run timing}).
 */
class PasswordGrantTimingTest {
  private static final String ACCOUNT = "acme";
  private static final String CLIENT = "acme-key";
  private final Stores stores = JdbcStores.temporary();
  private final CountingHasher hasher = new CountingHasher(new Argon2PasswordHasher(new Argon2Parameters(1024, 1, 1)));
  private final PasswordGrantHandler handler;
  private final AuthenticatedClient client;

  PasswordGrantTimingTest() {
    var config = ServerConfig.defaults();
    var clock = Clock.systemUTC();
    var keys = new SigningKeys(stores.signingKeys(), clock, Duration.ofDays(90));
    var provisioning = Provisioning.open(config, stores);
    provisioning.createAccount(ACCOUNT, CLIENT);
    provisioning.createUser(ACCOUNT, "alice", Password.of("alices password"));
    provisioning.createAnonymousUser(ACCOUNT, "device-1");
    handler = new PasswordGrantHandler(new GrantContext(stores.users(), stores.refreshTokens(), hasher,
        new LoginThrottle(new InMemoryBuckets(1000), LoginThrottle.Budgets.standard()),
        new TokenMinter(new AccessTokenIssuer(keys, () -> "http://localhost"), new RefreshTokens(), clock),
        Duration.ZERO, SecurityEvents.NONE));
    client = new AuthenticatedClient(stores.accounts().findAccount(ACCOUNT).orElseThrow(),
        stores.accounts().findClient(ACCOUNT, CLIENT).orElseThrow());
  }

  @AfterEach
  void close() {
    stores.close();
  }

  @ParameterizedTest(name = "{0} with password {1}")
  @CsvSource({
      "nobody, anything",
      "alice, wrong",
      "device-1, wrong",
  })
  void aWrongPasswordCostsOneHashWhateverTheUsername(String username, String password) {
    assertThatThrownBy(() -> handler.handle(request(username, password)))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.description())
            .isEqualTo("Username or password is invalid."));

    assertThat(hasher.checks.get()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "alice, alices password",
      "device-1, nopassword",
  })
  void aRightPasswordCostsOneHashToo(String username, String password) {
    assertThat(handler.handle(request(username, password)).accessToken()).isNotBlank();

    assertThat(hasher.checks.get()).isEqualTo(1);
  }

  @Test
  void theAnonymousPasswordOpensNoAccountThatHasAPassword() {
    assertThatThrownBy(() -> handler.handle(request("alice", "nopassword"))).isInstanceOf(ApiError.class);
    assertThat(hasher.checks.get()).isEqualTo(1);
  }

  private PasswordGrant request(String username, String password) {
    return new PasswordGrant(client, username, Password.of(password),
        Optional.of(Scope.parse("meshy.api offline_access")), "192.0.2.1");
  }

  /** Counts the Argon2 checks a login makes: against a user's hash or against the dummy. */
  private static final class CountingHasher implements PasswordHasher {
    private final PasswordHasher real;
    final AtomicInteger checks = new AtomicInteger();

    CountingHasher(PasswordHasher real) {
      this.real = real;
    }

    @Override
    public String hash(Password password) {
      return real.hash(password);
    }

    @Override
    public boolean verify(Password password, String storedHash) {
      checks.incrementAndGet();
      return real.verify(password, storedHash);
    }

    @Override
    public void verifyAgainstDummy(Password password) {
      checks.incrementAndGet();
      real.verifyAgainstDummy(password);
    }

    @Override
    public boolean needsRehash(String storedHash) {
      return real.needsRehash(storedHash);
    }
  }
}
