package io.meshyauth.server;

import static io.meshyauth.server.TestServer.PASSWORD;
import static io.meshyauth.server.TestServer.TOKEN_PATH;
import static io.meshyauth.server.TestServer.passwordForm;
import static io.meshyauth.server.TestServer.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshyauth.server.limit.LoginThrottle.Budgets;
import io.meshyauth.server.password.Argon2PasswordHasher.Argon2Parameters;
import io.meshyauth.server.values.Password;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RFC 6749 section 4.3.2: failed logins are limited per username and address, per username and per address,
 * exactly, however many guesses are in flight at once. The server trusts the loopback proxy here, so each
 * request names its client address in X-Forwarded-For as a reverse proxy would.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(StoreKind.class)
class BruteForceTest {
  /** Slow enough that a burst's guesses really wait for hashing together; queue room for all of them. */
  private static final Argon2Parameters SLOWER_ARGON2 = new Argon2Parameters(4096, 2, 1, 2, 1000);
  private static final String ATTACKER = "203.0.113.66";

  private final StoreKind store;
  private TestServer server;

  BruteForceTest(StoreKind store) {
    this.store = store;
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void start(long perUsernameAndIp, long perUsername, long perIp) {
    server = TestServer.start(store, config -> config.withArgon2(SLOWER_ARGON2)
        .withTrustedProxies(List.of("127.0.0.1", "::1"))
        .withFailedLogins(new Budgets(perUsernameAndIp, perUsername, perIp, Duration.ofMinutes(15))));
  }

  private SpecCheckedHttp.Answer login(String username, String password, String from) {
    return server.http.postForm(TOKEN_PATH, with(with(passwordForm(), "username", username), "password", password),
        Map.of("X-Forwarded-For", from));
  }

  @Test
  void aBurstOfWrongGuessesChecksNoMoreThanTheBudget() {
    start(10, 1000, 1000);

    var burst = Burst.of(100, i -> login("alice", "guess-" + i, ATTACKER));

    assertThat(Burst.count(burst, 400)).as("guesses checked against the hash").isEqualTo(10);
    assertThat(Burst.count(burst, 429)).isEqualTo(90);
    var again = Burst.of(50, i -> login("alice", "guess-again-" + i, ATTACKER));
    assertThat(Burst.count(again, 429)).as("a spent budget stays spent for the next burst").isEqualTo(50);
  }

  @Test
  void anAttackerAtOneAddressDoesNotLockTheUserOutElsewhere() {
    start(10, 1000, 1000);
    Burst.of(100, i -> login("alice", "guess-" + i, ATTACKER));

    var fromHome = login("alice", PASSWORD, "198.51.100.7");
    var fromAttacker = login("alice", PASSWORD, ATTACKER);

    assertThat(fromHome.status()).isEqualTo(200);
    assertThat(fromAttacker.status()).isEqualTo(429);
    assertThat(fromAttacker.text("error_description")).startsWith("Too many failed logins for this user.");
    assertThat(fromAttacker.header("RateLimit-Policy")).isEqualTo("\"failed-logins-per-username-and-ip\";q=10;w=900");
    assertThat(Long.parseLong(fromAttacker.header("Retry-After"))).isBetween(1L, 15 * 60L);
  }

  @Test
  void guessesAtOneUserFromManyAddressesStopAtTheUsernameBudget() {
    start(5, 12, 1000);

    var burst = Burst.of(100, i -> login("alice", "guess-" + i, "203.0.113." + (i % 50)));

    assertThat(Burst.count(burst, 400)).isEqualTo(12);
    var blocked = login("alice", PASSWORD, "198.51.100.7");
    assertThat(blocked.status()).isEqualTo(429);
    assertThat(blocked.header("RateLimit-Policy")).isEqualTo("\"failed-logins-per-username\";q=12;w=900");
  }

  @Test
  void sprayingManyUsernamesFromOneAddressStopsAtTheAddressBudget() {
    start(10, 100, 20);
    server.server.provisioning().createUser(TestServer.ACCOUNT, "bob", Password.of("bobs password"));

    var burst = Burst.of(150, i -> login("user-" + i, "password", ATTACKER));

    assertThat(Burst.count(burst, 400)).isEqualTo(20);
    var blocked = login("bob", "bobs password", ATTACKER);
    assertThat(blocked.status()).isEqualTo(429);
    assertThat(blocked.text("error_description")).startsWith("Too many failed logins from this address.");
    assertThat(login("bob", "bobs password", "198.51.100.7").status()).isEqualTo(200);
  }

  @Test
  void theUsernameBudgetCountsTheNormalisedUsername() {
    start(3, 100, 100);
    for (var variant : new String[] {"ALICE", " alice", "Alice"}) {
      assertThat(login(variant, "wrong", ATTACKER).status()).isEqualTo(400);
    }

    assertThat(login("alice", PASSWORD, ATTACKER).status()).isEqualTo(429);
  }

  @Test
  void successfulLoginsGiveTheirUnitBack() {
    start(3, 3, 3);
    for (int i = 0; i < 20; i++) {
      assertThat(login("alice", PASSWORD, ATTACKER).status()).isEqualTo(200);
    }

    // a login in flight holds a unit until its password is checked, so the wrong guesses of a burst
    // find the whole budget there after twenty right ones
    var burst = Burst.of(20, i -> login("alice", "guess-" + i, ATTACKER));

    assertThat(Burst.count(burst, 400)).isEqualTo(3);
  }

  @Test
  void forwardedAddressesAreIgnoredUnlessTheConnectionComesFromATrustedProxy() {
    server = TestServer.start(store, config -> config.withArgon2(SLOWER_ARGON2)
        .withFailedLogins(new Budgets(5, 1000, 1000, Duration.ofMinutes(15))));

    // a client that forges a new address each time is still one address
    var burst = Burst.of(40, i -> login("alice", "guess-" + i, "192.0.2." + i));

    assertThat(Burst.count(burst, 400)).isEqualTo(5);
  }

  @Test
  void onlyTheAddressTheTrustedProxySawCounts() {
    start(5, 1000, 1000);

    // the client prepends forged hops; the proxy appends what it saw
    var burst = Burst.of(40, i -> login("alice", "guess-" + i, "192.0.2." + i + ", " + ATTACKER));
    var forwarded = server.http.postForm(TOKEN_PATH, with(passwordForm(), "password", "wrong"),
        Map.of("Forwarded", "for=192.0.2.200, for=\"" + ATTACKER + ":4711\";proto=https"));

    assertThat(Burst.count(burst, 400)).isEqualTo(5);
    assertThat(forwarded.status()).isEqualTo(429);
  }
}
