package io.meshyauth.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshyauth.server.courier.Message;
import io.meshyauth.server.courier.Outbox;
import io.meshyauth.server.courier.Templates;
import io.meshyauth.server.limit.InMemoryBuckets;
import io.meshyauth.server.testing.MutableClock;
import io.meshyauth.server.token.RefreshTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
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

  /** A sent message's metadata goes once its retention is over; a message still waiting stays, whatever its age. */
  @Test
  void sentCourierMessagesPastTheirRetentionAreRemovedAndWaitingOnesKept() {
    var outbox = server.server.stores().outbox().orElseThrow();
    var templates = Templates.builtIn();
    var sent = outbox.queue(templates.render(new Message(Message.Kind.VERIFY_EMAIL, TestServer.ACCOUNT, "alice",
        "alice@example.com", "123456", clock.instant().plusSeconds(3600)), clock.instant()), clock.instant());
    var claimed = outbox.claim(clock.instant(), Duration.ofMinutes(1), 1);
    assertThat(claimed).extracting(Outbox.Claimed::id).containsExactly(sent);
    assertThat(outbox.sent(sent, clock.instant())).isTrue();
    var waiting = outbox.queue(templates.render(new Message(Message.Kind.RESET_EMAIL, TestServer.ACCOUNT, "alice",
        "alice@example.com", "654321", clock.instant().plusSeconds(3600)), clock.instant()), clock.instant());
    clock.advance(Duration.ofDays(31));

    try (var housekeeping = new Housekeeping(server.server.stores().refreshTokens(), new InMemoryBuckets(1_000),
        Optional.of(outbox), Duration.ofDays(30), clock, Duration.ofDays(1))) {
      housekeeping.runOnce();
    }

    assertThat(outbox.list(Optional.empty(), 10)).extracting(Outbox.Entry::id).containsExactly(waiting);
  }
}
