package io.meshyauth.server;

import static io.meshyauth.server.TestServer.TOKEN_PATH;
import static io.meshyauth.server.TestServer.passwordForm;
import static io.meshyauth.server.TestServer.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshyauth.server.limit.LoginThrottle.Budgets;
import io.meshyauth.server.password.Argon2PasswordHasher.Argon2Parameters;
import io.meshyauth.server.store.PostgresBackend;
import io.meshyauth.server.store.Stores;
import io.meshyauth.server.store.jdbc.JdbcStores;
import io.meshyauth.server.values.Password;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two servers on one store count one budget: two processes' worth of stores on one SQLite file, or two nodes on
 * one PostgreSQL database. Each has its own connection pool and its own memory, so only the store can make the
 * count exact.
 */
class SharedBudgetsTest {
  private static final Argon2Parameters SLOWER_ARGON2 = new Argon2Parameters(4096, 2, 1, 2, 1000);
  private MeshyAuthServer nodeA;
  private MeshyAuthServer nodeB;

  @TempDir
  Path directory;

  @AfterEach
  void stop() {
    nodeA.close();
    nodeB.close();
  }

  @Test
  void twoServersOnOneSqliteFileShareTheFailedLoginBudget() {
    var file = directory.resolve("shared.db");
    startTwo(() -> JdbcStores.sqlite(file));

    assertBurstOverBothNodesChecksExactlyTheBudget();
  }

  @Test
  void twoNodesOnOnePostgresqlShareTheFailedLoginBudget() {
    var database = PostgresBackend.shared().newDatabase();
    startTwo(database::open);

    assertBurstOverBothNodesChecksExactlyTheBudget();
  }

  @Test
  void twoServersOnOneSqliteFileShareTheRegistrationLimit() {
    var file = directory.resolve("registrations.db");
    startTwo(() -> JdbcStores.sqlite(file));
    nodeA.provisioning().createAccount("open", "open-key", true);

    var burst = Burst.of(40, i -> http(i % 2 == 0 ? nodeA : nodeB)
        .postJson("/open/users/register/anonymous", "{\"username\":\"device-" + i + "\"}"));

    assertThat(Burst.count(burst, 201)).isEqualTo(7);
    assertThat(Burst.count(burst, 429)).isEqualTo(33);
    assertThat(nodeB.stores().users().listUsers("open")).hasSize(7);
  }

  private void startTwo(Supplier<Stores> stores) {
    var config = ServerConfig.defaults().withPort(0).withArgon2(SLOWER_ARGON2).withShutdownGrace(Duration.ZERO)
        .withLimits(ServerConfig.defaults().limits().withFailedLogins(new Budgets(10, 1000, 1000,
            Duration.ofMinutes(15))).withRegistrationsPerIp(7));
    nodeA = MeshyAuthServer.start(config, stores.get());
    nodeB = MeshyAuthServer.start(config, stores.get());
    nodeA.provisioning().createAccount(TestServer.ACCOUNT, TestServer.CLIENT_ID);
    nodeA.provisioning().createUser(TestServer.ACCOUNT, TestServer.USERNAME, Password.of(TestServer.PASSWORD));
  }

  private void assertBurstOverBothNodesChecksExactlyTheBudget() {
    var burst = Burst.of(100, i -> http(i % 2 == 0 ? nodeA : nodeB)
        .postForm(TOKEN_PATH, with(passwordForm(), "password", "guess-" + i)));

    assertThat(Burst.count(burst, 400)).as("guesses checked on both nodes together").isEqualTo(10);
    assertThat(Burst.count(burst, 429)).isEqualTo(90);
  }

  private static SpecCheckedHttp http(MeshyAuthServer node) {
    return new SpecCheckedHttp(node.baseUrl());
  }
}
