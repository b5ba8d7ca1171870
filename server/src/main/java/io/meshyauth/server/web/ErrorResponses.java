package io.meshyauth.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.meshyauth.server.generated.model.NotFoundError;
import io.meshyauth.server.generated.model.ErrorResponse;
import io.meshyauth.server.generated.model.RateLimitError;
import io.meshyauth.server.limit.RateLimitExceededException;
import io.meshyauth.server.oauth.OAuthError;
import io.meshyauth.server.routing.MalformedRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps every failure to a status and body the OpenAPI document declares; detail stays in the log. */
public final class ErrorResponses {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

  private ErrorResponses() {
  }

  public static void register(RoutesConfig routes) {
    routes.exception(OAuthError.class, (e, ctx) -> oauthError(ctx, e));
    routes.exception(MalformedRequestException.class,
        (e, ctx) -> oauthError(ctx, OAuthError.invalidRequest(e.getMessage())));
    routes.exception(AccountNotFoundException.class, (e, ctx) -> {
      ctx.attribute(RequestLog.OUTCOME, "not_found");
      ctx.status(HttpStatus.NOT_FOUND).json(new NotFoundError()
          .error("not_found")
          .errorDescription(e.getMessage()));
    });
    routes.exception(RateLimitExceededException.class, ErrorResponses::rateLimited);
    routes.exception(HttpResponseException.class, ErrorResponses::httpError);
    routes.exception(Exception.class, (e, ctx) -> {
      LOG.error("request failed: {} {}", ctx.method(), ctx.path(), e);
      ctx.attribute(RequestLog.OUTCOME, "server_error");
      noStore(ctx);
      ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).json(new ErrorResponse()
          .error("server_error")
          .errorDescription("The server could not complete the request."));
    });
  }

  /** RFC 6749 section 5.1: token responses must not be cached. */
  static void noStore(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    ctx.header("Pragma", "no-cache");
  }

  private static void oauthError(Context ctx, OAuthError error) {
    ctx.attribute(RequestLog.OUTCOME, error.code().code());
    noStore(ctx);
    ctx.status(HttpStatus.BAD_REQUEST).json(new ErrorResponse()
        .error(error.code().code())
        .errorDescription(error.description()));
  }

  private static void rateLimited(RateLimitExceededException e, Context ctx) {
    long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
    ctx.attribute(RequestLog.OUTCOME, "too_many_requests");
    noStore(ctx);
    ctx.header("Retry-After", Long.toString(seconds));
    // draft-ietf-httpapi-ratelimit-headers: the policy that was hit, and that none of its quota remains
    var policy = e.policy();
    ctx.header("RateLimit-Policy", "\"" + policy.name() + "\";q=" + policy.quota() + ";w=" + policy.window().toSeconds());
    ctx.header("RateLimit", "\"" + policy.name() + "\";r=0;t=" + seconds);
    ctx.status(HttpStatus.TOO_MANY_REQUESTS).json(new RateLimitError()
        .error("too_many_requests")
        .errorDescription(e.getMessage() + " Retry after the delay in Retry-After."));
  }

  /** Javalin's own refusals (body too large, broken encoding) are the client's fault: invalid_request. */
  private static void httpError(HttpResponseException e, Context ctx) {
    if (e.getStatus() == HttpStatus.NOT_FOUND.getCode() || e.getStatus() == HttpStatus.METHOD_NOT_ALLOWED.getCode()) {
      ctx.status(e.getStatus()).result(e.getMessage());
      return;
    }
    oauthError(ctx, OAuthError.invalidRequest("The request could not be read."));
  }
}
