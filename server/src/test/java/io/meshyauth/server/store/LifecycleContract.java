package io.meshyauth.server.store;

import static io.meshyauth.server.store.Fixtures.T0;
import static io.meshyauth.server.store.Fixtures.account;
import static io.meshyauth.server.store.Fixtures.clientOf;
import static io.meshyauth.server.store.Fixtures.token;
import static io.meshyauth.server.store.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

abstract class LifecycleContract extends StoreContract {

  @Test
  void whatWasCommittedIsThereAfterClosingAndReopeningAndReopeningMigratesNothing() {
    var database = backend().newDatabase();
    var acme = account("acme", "web");
    var alice = user("acme", "alice");
    var login = token(alice, clientOf(acme), UUID.randomUUID().toString(), T0);
    try (var stores = database.open()) {
      stores.accounts().createAccount(acme);
      stores.users().createUser(alice);
      stores.refreshTokens().saveRefreshToken(login);
      stores.refreshTokens().rotate(login.tokenHash(), Optional.empty(), T0.plusSeconds(1), Duration.ZERO);
    }

    try (var stores = database.open()) {
      assertThat(stores.accounts().findAccount("acme")).contains(acme);
      assertThat(stores.users().findUser("acme", "alice")).contains(alice);
      assertThat(stores.refreshTokens().findRefreshToken(login.tokenHash()).orElseThrow().rotatedAt())
          .contains(T0.plusSeconds(1));
    }
    try (var stores = database.open()) {
      assertThat(stores.accounts().listAccounts()).containsExactly(acme);
    }
  }

  @Test
  void twoStoresOnOneDatabaseWriteConcurrentlyWithoutFailing() throws Exception {
    var database = backend().newDatabase();
    try (var first = database.open(); var second = database.open()) {
      first.accounts().createAccount(account("acme", "web"));
      var start = new CountDownLatch(1);
      var executor = Executors.newFixedThreadPool(16);
      try {
        var futures = new ArrayList<Future<?>>();
        for (int i = 0; i < 160; i++) {
          var stores = i % 2 == 0 ? first : second;
          var username = "user-" + i;
          futures.add(executor.submit(() -> {
            start.await();
            stores.users().createUser(user("acme", username));
            return null;
          }));
        }
        start.countDown();
        for (var future : futures) {
          future.get();
        }
      } finally {
        executor.shutdownNow();
      }

      assertThat(first.users().listUsers("acme")).hasSize(160);
      assertThat(second.users().listUsers("acme")).hasSize(160);
    }
  }
}
