package io.meshyauth.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshyauth.server.password.Argon2PasswordHasher.Argon2Parameters;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class GracefulShutdownTest {

  @Test
  void stoppingLetsARequestInFlightFinish() throws Exception {
    // a costly hash keeps the login in flight while the server is told to stop
    var server = TestServer.start(StoreKind.SQLITE, config -> config
        .withShutdownGrace(Duration.ofSeconds(20))
        .withArgon2(new Argon2Parameters(128 * 1024, 8, 1)));
    var login = CompletableFuture.supplyAsync(server::login);
    Thread.sleep(300);

    server.close();

    assertThat(login.get().status()).isEqualTo(200);
  }
}
