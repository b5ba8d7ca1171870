package io.meshyauth.server.metrics;

import io.meshyauth.server.events.SecurityEvent;
import io.meshyauth.server.events.SecurityEvent.BudgetExhausted;
import io.meshyauth.server.events.SecurityEvent.KeyRotated;
import io.meshyauth.server.events.SecurityEvent.LoginFailed;
import io.meshyauth.server.events.SecurityEvent.LoginSucceeded;
import io.meshyauth.server.events.SecurityEvent.RefreshTokenReused;
import io.meshyauth.server.events.SecurityEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * The security events as counters. Labels take only values the server chose (a login's reason, a budget's name),
 * never one a client sent, so their number stays small. Events of the admin commands are not counted: those run
 * in processes of their own, which no one scrapes.
 */
final class SecurityMetrics implements SecurityEvents {
  private final MeterRegistry registry;
  private final Counter reused;

  SecurityMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.reused = Counter.builder("meshy.refresh.token.reuse")
        .description("Rotated refresh tokens presented again after the grace window; each revoked its family")
        .register(registry);
    // known from the start, so that a rate over them is defined before the first one happens
    for (var result : List.of("ok", LoginFailed.INVALID_CREDENTIALS, LoginFailed.USER_INACTIVE,
        LoginFailed.INVALID_PREVIOUS_PASSWORD)) {
      logins(result);
    }
  }

  @Override
  public void report(SecurityEvent event) {
    if (event instanceof LoginSucceeded) {
      logins("ok").increment();
    } else if (event instanceof LoginFailed failed) {
      logins(failed.reason()).increment();
    } else if (event instanceof BudgetExhausted exhausted) {
      Counter.builder("meshy.rate.limited").tag("budget", exhausted.budget())
          .description("Requests refused with 429, by the budget that was spent")
          .register(registry).increment();
    } else if (event instanceof RefreshTokenReused) {
      reused.increment();
    } else if (event instanceof KeyRotated rotated) {
      Counter.builder("meshy.signing.key.rotations").tag("trigger", rotated.trigger())
          .description("Signing keys that took over for an account").register(registry).increment();
    }
  }

  private Counter logins(String result) {
    return Counter.builder("meshy.logins").tag("result", result)
        .description("Passwords checked, by result").register(registry);
  }
}
