package io.meshyauth.server.web;

import io.javalin.http.Context;
import io.javalin.http.RequestLogger;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One structured line per request: what was asked and how it ended. Never the body, the query string or
 * headers: that is where passwords and tokens travel. Health probes that found all well are left out: a probe a
 * second from each load balancer would bury everything else.
 */
public final class RequestLog implements RequestLogger {
  static final String OUTCOME = "meshy.outcome";
  /** Why a refused request was refused, for the operator (ApiError's detail): never sent to the client. */
  static final String REASON = "meshy.reason";
  private static final Logger LOG = LoggerFactory.getLogger("io.meshyauth.request");
  private final ClientAddresses addresses;

  public RequestLog(ClientAddresses addresses) {
    this.addresses = addresses;
  }

  @Override
  public void handle(Context ctx, Float millis) {
    // a scrape or a probe every few seconds would drown the lines that matter
    if (ctx.statusCode() == 200
        && (MetricsEndpoint.PATH.equals(ctx.path()) || ctx.path().startsWith(HealthEndpoint.PATH_PREFIX))) {
      return;
    }
    var line = LOG.atInfo()
        .addKeyValue("method", ctx.method().name())
        .addKeyValue("path", ctx.path())
        .addKeyValue("status", ctx.statusCode())
        .addKeyValue("outcome", Objects.requireNonNullElse(ctx.<String>attribute(OUTCOME), "ok"));
    String reason = ctx.attribute(REASON);
    if (reason != null) {
      line = line.addKeyValue("reason", reason);
    }
    line.addKeyValue("ms", Math.round(millis * 10) / 10.0)
        .addKeyValue("ip", addresses.of(ctx))
        .log("request");
  }
}
