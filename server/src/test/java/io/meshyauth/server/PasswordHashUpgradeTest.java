package io.meshyauth.server;

import static io.meshyauth.server.TestServer.ACCOUNT;
import static io.meshyauth.server.TestServer.USERNAME;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshyauth.server.password.Argon2PasswordHasher.Argon2Parameters;
import io.meshyauth.server.store.jdbc.JdbcStores;
import io.meshyauth.server.values.Password;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Argon2 parameters can change: old hashes still verify, and are replaced on the next successful login. */
class PasswordHashUpgradeTest {
  @TempDir
  Path dir;

  @Test
  void loginWithAHashOfOlderParametersSucceedsAndUpgradesTheHash() {
    var file = dir.resolve("meshy-auth.db");
    try (var before = start(file, new Argon2Parameters(1024, 1, 1))) {
      before.provisioning().createAccount(ACCOUNT, TestServer.CLIENT_ID);
      before.provisioning().createUser(ACCOUNT, USERNAME, Password.of(TestServer.PASSWORD));
    }

    try (var after = start(file, new Argon2Parameters(2048, 2, 1))) {
      var http = new SpecCheckedHttp(after.baseUrl());
      assertThat(storedHash(after)).startsWith("$argon2id$v=19$m=1024,t=1,p=1$");

      assertThat(http.postForm(TestServer.TOKEN_PATH, TestServer.passwordForm()).status()).isEqualTo(200);

      assertThat(storedHash(after)).startsWith("$argon2id$v=19$m=2048,t=2,p=1$");
      assertThat(http.postForm(TestServer.TOKEN_PATH, TestServer.passwordForm()).status()).isEqualTo(200);
    }
  }

  @Test
  void failedLoginLeavesTheOldHashAlone() {
    var file = dir.resolve("meshy-auth.db");
    try (var before = start(file, new Argon2Parameters(1024, 1, 1))) {
      before.provisioning().createAccount(ACCOUNT, TestServer.CLIENT_ID);
      before.provisioning().createUser(ACCOUNT, USERNAME, Password.of(TestServer.PASSWORD));
    }

    try (var after = start(file, new Argon2Parameters(2048, 2, 1))) {
      var hash = storedHash(after);
      new SpecCheckedHttp(after.baseUrl()).postForm(TestServer.TOKEN_PATH,
          TestServer.with(TestServer.passwordForm(), "password", "wrong"));

      assertThat(storedHash(after)).isEqualTo(hash);
    }
  }

  private static MeshyAuthServer start(Path file, Argon2Parameters argon2) {
    return MeshyAuthServer.start(ServerConfig.defaults().withPort(0).withArgon2(argon2)
        .withShutdownGrace(Duration.ZERO), JdbcStores.sqlite(file));
  }

  private static String storedHash(MeshyAuthServer server) {
    return server.stores().users().findUser(ACCOUNT, USERNAME).orElseThrow().passwordHash().orElseThrow();
  }
}
