package io.meshyauth.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.MethodNotAllowedResponse;
import io.meshyauth.server.generated.model.NotFoundError;
import io.meshyauth.server.generated.model.ErrorResponse;
import io.meshyauth.server.generated.model.MethodNotAllowedError;
import io.meshyauth.server.generated.model.RateLimitError;
import io.meshyauth.server.limit.RateLimitExceededException;
import io.meshyauth.server.oauth.OAuthError;
import io.meshyauth.server.password.HashingBusyException;
import io.meshyauth.server.routing.MalformedRequestException;
import io.meshyauth.server.store.StoreUnavailableException;
import java.io.IOException;
import java.util.Arrays;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps every failure to a status and body the OpenAPI document declares; detail stays in the log. */
public final class ErrorResponses {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);
  static final String NO_SUCH_PATH = "There is no endpoint at this path.";
  static final String WRONG_METHOD = "This path does not answer that method; Allow lists those it does.";
  static final String STORE_UNAVAILABLE = "The server cannot reach its store right now. Retry after the delay in "
      + "Retry-After.";

  private ErrorResponses() {
  }

  /** {@code maxRequestBytes}: how much of a refused request's body is read before answering (see discardBody). */
  public static void register(RoutesConfig routes, long maxRequestBytes) {
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
    routes.exception(HashingBusyException.class, (e, ctx) -> {
      ctx.attribute(RequestLog.OUTCOME, "temporarily_unavailable");
      noStore(ctx);
      // a hash takes tens of milliseconds, so the queue has room again well within a second
      ctx.header("Retry-After", "1");
      ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(new ErrorResponse()
          .error("temporarily_unavailable")
          .errorDescription("The server is busy with other logins. Retry after the delay in Retry-After."));
    });
    routes.exception(StoreUnavailableException.class, ErrorResponses::storeUnavailable);
    routes.exception(HttpResponseException.class, (e, ctx) -> httpError(e, ctx, maxRequestBytes));
    routes.exception(Exception.class, (e, ctx) -> {
      // a library may have wrapped it
      for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
        if (cause instanceof StoreUnavailableException unavailable) {
          storeUnavailable(unavailable, ctx);
          return;
        }
      }
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
    error.detail().ifPresent(detail -> ctx.attribute(RequestLog.REASON, error.getCause() == null ? detail
        : detail + " (" + error.getCause().getClass().getSimpleName() + ")"));
    noStore(ctx);
    ctx.status(error.status()).json(new ErrorResponse()
        .error(error.code().code())
        .errorDescription(error.description()));
  }

  /**
   * The store cannot take the work now: the log said so once when it began, so nothing is logged here but the
   * request line; the client is told when to try again.
   */
  private static void storeUnavailable(StoreUnavailableException e, Context ctx) {
    ctx.attribute(RequestLog.OUTCOME, "temporarily_unavailable");
    noStore(ctx);
    ctx.header("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())));
    ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(new ErrorResponse()
        .error("temporarily_unavailable")
        .errorDescription(STORE_UNAVAILABLE));
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

  /**
   * Javalin's own refusals: a path no route has (404), a path asked with a method it has no route for (405), and
   * the rest (body too large, broken encoding), which are the client's fault: invalid_request.
   */
  private static void httpError(HttpResponseException e, Context ctx, long maxRequestBytes) {
    if (e instanceof MethodNotAllowedResponse || e.getStatus() == HttpStatus.NOT_FOUND.getCode()) {
      discardBody(ctx, maxRequestBytes);
    }
    if (e instanceof MethodNotAllowedResponse) {
      ctx.attribute(RequestLog.OUTCOME, "method_not_allowed");
      // RFC 9110 section 15.5.6: a 405 lists the methods the path has, which Javalin found among the routes
      ctx.header("Allow", allowed(e));
      ctx.status(HttpStatus.METHOD_NOT_ALLOWED).json(new MethodNotAllowedError()
          .error("method_not_allowed")
          .errorDescription(WRONG_METHOD));
      return;
    }
    if (e.getStatus() == HttpStatus.NOT_FOUND.getCode()) {
      ctx.attribute(RequestLog.OUTCOME, "not_found");
      ctx.status(HttpStatus.NOT_FOUND).json(new NotFoundError()
          .error("not_found")
          .errorDescription(NO_SUCH_PATH));
      return;
    }
    oauthError(ctx, OAuthError.invalidRequest("The request could not be read."));
  }

  /**
   * Reads and drops what is left of the body of a request refused before its route read it. Jetty closes a
   * connection whose request body was left unread, and a client still sending it then sees a reset that can
   * destroy the answer before it is read. Bounded like any body; past the bound the connection closes as for any
   * oversized request, and a client that stops sending is cut by the request deadline.
   */
  private static void discardBody(Context ctx, long maxRequestBytes) {
    try {
      var in = ctx.req().getInputStream();
      var buffer = new byte[8192];
      long left = maxRequestBytes + 1;
      int read;
      while (left > 0 && (read = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
        left -= read;
      }
    } catch (IOException | RuntimeException e) {
      // the client went away or sent a broken body: the answer goes out all the same, on a closing connection
      LOG.debug("refused request's body not read whole: {}", e.toString());
    }
  }

  /** Javalin's one detail of a 405 is the route methods of the path, comma-separated; HEAD goes with GET. */
  private static String allowed(HttpResponseException e) {
    var methods = new TreeSet<String>();
    e.getDetails().values().forEach(list -> Arrays.stream(list.split(","))
        .map(String::trim).filter(method -> !method.isEmpty()).forEach(methods::add));
    if (methods.contains("GET")) {
      methods.add("HEAD");
    }
    return String.join(", ", methods);
  }
}
