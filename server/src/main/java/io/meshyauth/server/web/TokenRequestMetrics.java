package io.meshyauth.server.web;

import io.javalin.http.Context;
import io.javalin.http.RequestLogger;
import io.meshyauth.server.generated.model.TokenForm.GrantTypeEnum;
import io.meshyauth.server.routing.FormParameter;
import io.meshyauth.server.routing.Requests;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Every answer of the token endpoint in a latency histogram by grant and outcome (as the request log names it),
 * timed as the request log times it. The grant is one this server has, {@code unsupported} for any other value
 * (a client's string never becomes a label), or {@code none} when the request named none or was refused first.
 */
public final class TokenRequestMetrics implements RequestLogger {
  private static final String GRANT = "meshy.grant";
  /** The token endpoint's operationId in the document. */
  private static final String TOKEN_OPERATION = "token";

  private final Meter.MeterProvider<Timer> timers;

  public TokenRequestMetrics(MeterRegistry registry) {
    // logins take tens to hundreds of milliseconds (Argon2), refreshes about one
    this.timers = Timer.builder("meshy.token.requests")
        .description("Token requests, by grant and outcome (ok or the error code)")
        .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10))
        .withRegistry(registry);
  }

  /** Notes the grant a token request names, for its label. */
  static void noteGrant(Context ctx, FormParameter grantType) {
    var values = grantType.values().stream().filter(value -> !value.isEmpty()).toList();
    ctx.attribute(GRANT, values.isEmpty() ? "none" : values.size() > 1 ? "unsupported"
        : known(values.get(0)));
  }

  /** A grant type of the document, or "unsupported": the label takes no value a client made up. */
  private static String known(String grantType) {
    try {
      return GrantTypeEnum.fromValue(grantType).getValue();
    } catch (IllegalArgumentException e) {
      return "unsupported";
    }
  }

  @Override
  public void handle(Context ctx, Float millis) {
    if (!TOKEN_OPERATION.equals(ctx.attribute(Requests.OPERATION))) {
      return;
    }
    timers.withTags("grant", Objects.requireNonNullElse(ctx.<String>attribute(GRANT), "none"),
            "outcome", Objects.requireNonNullElse(ctx.<String>attribute(RequestLog.OUTCOME), "ok"))
        .record(Math.round(millis * 1_000_000.0), TimeUnit.NANOSECONDS);
  }
}
