package io.meshyauth.server.web;

import io.javalin.config.RoutesConfig;
import io.meshyauth.server.metrics.ServerMetrics;

/**
 * {@code GET /metrics} for Prometheus. Not in the OpenAPI document: it is the process's operations interface,
 * not the API's (it may live on another port, and a generated client has no use for it); the README lists its
 * metrics. It answers anyone who can reach its port, and holds no secret; it counts against no request limit,
 * and its 200s stay out of the request log.
 */
public final class MetricsEndpoint {
  public static final String PATH = "/metrics";

  private MetricsEndpoint() {
  }

  public static void register(RoutesConfig routes, ServerMetrics metrics) {
    routes.get(PATH, ctx -> ctx.contentType(ServerMetrics.CONTENT_TYPE).result(metrics.scrape()));
  }
}
