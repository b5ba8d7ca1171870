package io.meshyauth.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.MethodNotAllowedResponse;
import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.errors.ErrorCode;
import io.meshyauth.server.limit.RateLimitExceededException;
import io.meshyauth.server.password.HashingBusyException;
import io.meshyauth.server.routing.MalformedRequestException;
import io.meshyauth.server.store.StoreUnavailableException;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every refusal from one type, {@link ApiError}: the failures of other layers (a limit hit, the hashing
 * queue full, the store away, Javalin's own 404, 405 and 413, anything unexpected) are turned into one here, and
 * each is written the same way: its status, {@code {error, error_description}} as RFC 6749 section 5.1 has it,
 * plus MeshyDB's {@code message} on the API's {@code users/*}, {@code roles/*} and {@code permissibles} paths, whose apps show {@code response.message}.
 * Detail stays in the log.
 */
public final class ErrorResponses {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);
  static final String NO_SUCH_PATH = "There is no endpoint at this path.";
  static final String NO_SUCH_ACCOUNT = "There is no such account.";
  static final String WRONG_METHOD = "This path does not answer that method; Allow lists those it does.";
  static final String STORE_UNAVAILABLE = "The server cannot reach its store right now. Retry after the delay in "
      + "Retry-After.";
  /** The API's paths, where MeshyDB's answers carry {@code message}; {@code connect/*} is the auth host's. */
  private static final Pattern API_HOST_PATH = Pattern.compile("^/[^/]+/(users|roles|permissibles)(/.*)?$");

  private ErrorResponses() {
  }

  /** {@code maxRequestBytes}: how much of a refused request's body is read before answering (see discardBody). */
  public static void register(RoutesConfig routes, long maxRequestBytes) {
    routes.exception(ApiError.class, (e, ctx) -> write(ctx, e));
    routes.exception(MalformedRequestException.class,
        (e, ctx) -> write(ctx, ApiError.invalidRequest(e.getMessage())));
    routes.exception(RateLimitExceededException.class, (e, ctx) -> {
      // draft-ietf-httpapi-ratelimit-headers: the policy that was hit, and that none of its quota remains
      var policy = e.policy();
      ctx.header("RateLimit-Policy",
          "\"" + policy.name() + "\";q=" + policy.quota() + ";w=" + policy.window().toSeconds());
      ctx.header("RateLimit", "\"" + policy.name() + "\";r=0;t=" + seconds(e.retryAfter()));
      write(ctx, ApiError.tooManyRequests(e.getMessage() + " Retry after the delay in Retry-After.",
          e.retryAfter()));
    });
    // a hash takes tens of milliseconds, so the queue has room again well within a second
    routes.exception(HashingBusyException.class, (e, ctx) -> write(ctx, ApiError.temporarilyUnavailable(
        "The server is busy with other logins. Retry after the delay in Retry-After.", Duration.ofSeconds(1))));
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
      write(ctx, ApiError.serverError());
    });
  }

  /** RFC 6749 section 5.1: token responses must not be cached. */
  static void noStore(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    ctx.header("Pragma", "no-cache");
  }

  /** The one way a refusal is written. */
  private static void write(Context ctx, ApiError error) {
    ctx.attribute(RequestLog.OUTCOME, error.code().code());
    error.detail().ifPresent(detail -> ctx.attribute(RequestLog.REASON, error.getCause() == null ? detail
        : detail + " (" + error.getCause().getClass().getSimpleName() + ")"));
    noStore(ctx);
    error.retryAfter().ifPresent(delay -> ctx.header("Retry-After", Long.toString(seconds(delay))));
    if (error.code() == ErrorCode.INVALID_TOKEN) {
      // RFC 6750 section 3: a 401 names the scheme, and the error when a token was sent; a fixed realm, so that
      // nothing the client sent is echoed into a header
      var challenge = "Bearer realm=\"meshy-auth\"";
      if (error.tokenPresented()) {
        challenge += ", error=\"invalid_token\", error_description=\"" + error.description() + "\"";
      }
      ctx.header("WWW-Authenticate", challenge);
    }
    if (error.code() == ErrorCode.CLIENT_AUTHENTICATION_FAILED) {
      // RFC 6749 section 5.2 and RFC 9110 section 11.6.1: a 401 names the scheme a client authenticates with
      ctx.header("WWW-Authenticate", "Basic realm=\"meshy-auth\"");
    }
    if (error.code() == ErrorCode.INSUFFICIENT_SCOPE) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"meshy-auth\", error=\"insufficient_scope\"");
    }
    ctx.status(error.status()).json(body(error, ctx.path()));
  }

  /** The answer's body for {@code path}: the document's ErrorResponse, with MeshyDB's message on the API's paths. */
  static Map<String, String> body(ApiError error, String path) {
    var body = new LinkedHashMap<String, String>();
    body.put("error", error.code().code());
    body.put("error_description", error.description());
    if (API_HOST_PATH.matcher(path).matches()) {
      body.put("message", error.description());
    }
    return body;
  }

  /** Whole seconds, rounded up and at least one, as Retry-After takes them. */
  private static long seconds(Duration delay) {
    return Math.max(1, (delay.toMillis() + 999) / 1000);
  }

  /**
   * The store cannot take the work now: the log said so once when it began, so nothing is logged here but the
   * request line; the client is told when to try again.
   */
  private static void storeUnavailable(StoreUnavailableException e, Context ctx) {
    write(ctx, ApiError.temporarilyUnavailable(STORE_UNAVAILABLE, e.retryAfter()));
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
      // RFC 9110 section 15.5.6: a 405 lists the methods the path has, which Javalin found among the routes
      ctx.header("Allow", allowed(e));
      write(ctx, ApiError.of(ErrorCode.METHOD_NOT_ALLOWED, WRONG_METHOD));
      return;
    }
    if (e.getStatus() == HttpStatus.NOT_FOUND.getCode()) {
      write(ctx, ApiError.notFound(NO_SUCH_PATH));
      return;
    }
    write(ctx, ApiError.invalidRequest("The request could not be read."));
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
