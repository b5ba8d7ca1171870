package io.meshyauth.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshyauth.server.limit.InMemoryBuckets;
import io.meshyauth.server.testing.MutableClock;
import io.meshyauth.server.token.RefreshTokens;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "on {0}")
@EnumSource(StoreKind.class)
class HousekeepingTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));
  private final TestServer server;

  HousekeepingTest(StoreKind store) {
    server = TestServer.start(store, clock);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void familiesPastTheirAbsoluteLifetimeAreRemovedAndLiveOnesKept() {
    var expiring = server.login().text("refresh_token");
    clock.advance(ServerConfig.AccountDefaults.standard().refreshTokenAbsoluteLifetime().plusSeconds(1));
    var live = server.login().text("refresh_token");

    try (var housekeeping = new Housekeeping(server.server.stores().refreshTokens(), new InMemoryBuckets(1_000), clock,
        Duration.ofDays(1))) {
      housekeeping.runOnce();
    }

    var tokens = server.server.stores().refreshTokens();
    assertThat(tokens.findRefreshToken(RefreshTokens.hash(expiring))).isEmpty();
    assertThat(tokens.findRefreshToken(RefreshTokens.hash(live))).isPresent();
  }
}
