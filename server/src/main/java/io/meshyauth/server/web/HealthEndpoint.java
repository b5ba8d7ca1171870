package io.meshyauth.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.meshyauth.server.generated.api.HealthApi;
import io.meshyauth.server.generated.model.Health;
import io.meshyauth.server.generated.model.HealthChecks;
import io.meshyauth.server.store.StoreHealth;
import io.meshyauth.server.store.Stores;
import java.time.Duration;

/**
 * Liveness and readiness for load balancers and orchestrators. Neither takes an account, so no request limit
 * counts them; the request log leaves out their 200s.
 */
public final class HealthEndpoint implements HealthApi {
  static final String PATH_PREFIX = "/health/";
  private static final String OK = "ok";
  private static final String UNAVAILABLE = "unavailable";

  private final Stores stores;
  private final Duration readyTimeout;

  public HealthEndpoint(Stores stores, Duration readyTimeout) {
    this.stores = stores;
    this.readyTimeout = readyTimeout;
  }

  @Override
  public Health liveness(Context ctx, LivenessParameters parameters) {
    ErrorResponses.noStore(ctx);
    return new Health().status(OK);
  }

  @Override
  public Health readiness(Context ctx, ReadinessParameters parameters) {
    ErrorResponses.noStore(ctx);
    var health = stores.ping(readyTimeout);
    if (health == StoreHealth.READY) {
      return new Health().status(OK).checks(new HealthChecks().store(OK).signingKeys(OK));
    }
    throw new NotReady(health);
  }

  public void registerErrors(RoutesConfig routes) {
    routes.exception(NotReady.class, (e, ctx) -> {
      ctx.attribute(RequestLog.OUTCOME, "not_ready");
      ErrorResponses.noStore(ctx);
      ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(e.body());
    });
  }

  /** Why the server is not ready; fixed texts, the detail is in the log. */
  private static final class NotReady extends RuntimeException {
    private final StoreHealth health;

    NotReady(StoreHealth health) {
      super(health.name(), null, false, false);
      this.health = health;
    }

    Health body() {
      var body = new Health().status(UNAVAILABLE);
      return switch (health) {
        case STORE_TIMED_OUT -> body.reason("The store did not answer within the readiness timeout.")
            .checks(new HealthChecks().store(UNAVAILABLE).signingKeys("unknown"));
        case STORE_FAILED -> body.reason("The store failed the readiness query.")
            .checks(new HealthChecks().store(UNAVAILABLE).signingKeys("unknown"));
        case KEYS_UNREADABLE -> body.reason("The store records another key-encryption key than this server holds, "
            + "so it cannot read the signing keys.").checks(new HealthChecks().store(OK).signingKeys(UNAVAILABLE));
        case READY -> throw new IllegalStateException("a ready store is no failure");
      };
    }
  }
}
