package io.meshyauth.server;

import static io.meshyauth.server.TestServer.TOKEN_PATH;
import static io.meshyauth.server.TestServer.passwordForm;
import static io.meshyauth.server.TestServer.refreshForm;
import static io.meshyauth.server.TestServer.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshyauth.server.limit.LoginThrottle.Budgets;
import io.meshyauth.server.password.Argon2PasswordHasher.Argon2Parameters;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Password grants wait for a hashing slot in a bounded queue; beyond it they are refused at once with 503, so
 * a login flood holds a bounded number of request threads and refreshes go on being served.
 */
class HashingQueueTest {
  private TestServer server;

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void loginsBeyondTheQueueAreRefusedAtOnceAndSpendNoBudget() {
    server = TestServer.start(StoreKind.SQLITE, config -> config
        .withArgon2(new Argon2Parameters(16 * 1024, 1, 1, 1, 2))
        .withFailedLogins(new Budgets(40, 1000, 1000, Duration.ofMinutes(15))));

    var burst = Burst.of(40, i -> server.http.postForm(TOKEN_PATH, with(passwordForm(), "password", "guess-" + i)));

    var refused = burst.stream().filter(answer -> answer.status() == 503).toList();
    assertThat(refused).isNotEmpty();
    assertThat(refused).allSatisfy(answer -> {
      assertThat(answer.text("error")).isEqualTo("temporarily_unavailable");
      assertThat(answer.header("Retry-After")).isEqualTo("1");
      assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
    });
    long checked = Burst.count(burst, 400);
    assertThat(checked + refused.size()).isEqualTo(40);
    // the refused guesses were never checked, so their units are back: the budget still has 40 - checked
    long more = 0;
    while (server.http.postForm(TOKEN_PATH, with(passwordForm(), "password", "later-" + more)).status() == 400) {
      more++;
    }
    assertThat(checked + more).isEqualTo(40);
  }

  /** An imported hash (here bcrypt, far slower than this server's Argon2) is checked in the same bounded slots. */
  @Test
  void loginsAgainstAnImportedHashWaitInTheSameQueueAndBeyondItAreRefused() {
    server = TestServer.start(StoreKind.SQLITE, config -> config
        .withArgon2(new Argon2Parameters(1024, 1, 1, 1, 2))
        .withFailedLogins(new Budgets(40, 1000, 1000, Duration.ofMinutes(15))));
    var users = server.server.stores().users();
    var alice = users.findUser(TestServer.ACCOUNT, TestServer.USERNAME).orElseThrow();
    users.updateUser(alice.withPasswordHash(
        OpenBSDBCrypt.generate("2b", TestServer.PASSWORD.toCharArray(), new byte[16], 10)));

    var burst = Burst.of(40, i -> server.http.postForm(TOKEN_PATH, with(passwordForm(), "password", "guess-" + i)));

    var refused = burst.stream().filter(answer -> answer.status() == 503).toList();
    assertThat(refused).isNotEmpty()
        .allSatisfy(answer -> assertThat(answer.text("error")).isEqualTo("temporarily_unavailable"));
    assertThat(Burst.count(burst, 400) + refused.size()).isEqualTo(40);
    assertThat(server.http.postForm(TOKEN_PATH, passwordForm()).status()).isEqualTo(200);
  }

  @Test
  void aLoginFloodDoesNotHoldTheThreadsThatServeRefreshes() throws Exception {
    // one slow hash at a time and one waiting: the other logins of the flood must not wait at all
    server = TestServer.start(StoreKind.SQLITE, config -> config
        .withArgon2(new Argon2Parameters(128 * 1024, 2, 1, 1, 1))
        .withFailedLogins(new Budgets(1000, 1000, 1000, Duration.ofMinutes(15))));
    var refreshToken = server.http.postForm(TOKEN_PATH, passwordForm()).text("refresh_token");
    var http = HttpClient.newHttpClient();
    var flood = new ArrayList<CompletableFuture<HttpResponse<String>>>();
    for (int i = 0; i < 300; i++) {
      flood.add(http.sendAsync(HttpRequest.newBuilder(URI.create(server.server.baseUrl() + TOKEN_PATH))
          .header("Content-Type", SpecCheckedHttp.FORM)
          .POST(HttpRequest.BodyPublishers.ofString("client_id=" + TestServer.CLIENT_ID
              + "&grant_type=password&username=alice&password=guess-" + i))
          .build(), HttpResponse.BodyHandlers.ofString()));
    }
    // all but the few admitted logins are answered without waiting for a hash
    while (flood.stream().filter(CompletableFuture::isDone).count() < 250) {
      Thread.sleep(10);
    }

    for (int i = 0; i < 20; i++) {
      var refreshed = server.http.postForm(TOKEN_PATH, refreshForm(refreshToken));
      assertThat(refreshed.status()).isEqualTo(200);
      refreshToken = refreshed.text("refresh_token");
    }

    CompletableFuture.allOf(flood.toArray(CompletableFuture[]::new)).join();
    var statuses = flood.stream().map(f -> f.join().statusCode()).toList();
    assertThat(statuses).containsOnly(400, 503);
    assertThat(statuses.stream().filter(status -> status == 503).count()).isGreaterThanOrEqualTo(250);
  }
}
