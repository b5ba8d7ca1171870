package io.meshyauth.server.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.errors.ErrorCode;
import java.util.Objects;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's error page for what it refuses before a request reaches our routes (a path with an encoded separator,
 * NUL or dot segment, broken percent-encoding, a request line or headers over its limits): the document's error
 * schema in JSON instead of Jetty's HTML or plain text. Whatever the client sent wrong is {@code invalid_request}
 * (RFC 6749 section 5.2), a 400 like every other malformed request; the description is fixed text, so nothing the
 * client sent is echoed.
 *
 * <p>What of a refused request's body has arrived is read and dropped, and the connection stays open for the
 * client's next request, as after a 404; where Jetty cannot keep it, the answer says {@code Connection: close}.
 */
public final class JettyErrors implements Request.Handler {
  private static final Logger LOG = LoggerFactory.getLogger(JettyErrors.class);

  private final ObjectMapper mapper;

  public JettyErrors(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws JsonProcessingException {
    int code = response.getStatus();
    var cause = (Throwable) request.getAttribute(ErrorHandler.ERROR_EXCEPTION);
    if (cause instanceof HttpException http) {
      code = http.getCode();
    }
    LOG.atDebug().addKeyValue("status", code).setCause(cause).log("refused below the routes");
    ApiError error;
    if (code == HttpStatus.NOT_FOUND_404) {
      error = ApiError.notFound(ErrorResponses.NO_SUCH_PATH);
    } else if (code == HttpStatus.METHOD_NOT_ALLOWED_405) {
      error = ApiError.of(ErrorCode.METHOD_NOT_ALLOWED, ErrorResponses.WRONG_METHOD);
    } else if (code >= HttpStatus.INTERNAL_SERVER_ERROR_500) {
      error = ApiError.serverError();
    } else {
      error = ApiError.invalidRequest(describe(code));
    }
    var body = ErrorResponses.body(error, Objects.requireNonNullElse(request.getHttpURI().getPath(), ""));
    // 503 while stopping stays 503, so that load balancers retry elsewhere
    int status = code >= HttpStatus.INTERNAL_SERVER_ERROR_500 ? code : error.status();
    response.setStatus(status);
    var headers = response.getHeaders();
    headers.put(HttpHeader.CONTENT_TYPE, "application/json");
    headers.put(HttpHeader.CACHE_CONTROL, "no-store");
    headers.put(HttpHeader.PRAGMA, "no-cache");
    announceIfClosing(request, response);
    if (HttpMethod.HEAD.is(request.getMethod())) {
      callback.succeeded();
    } else {
      Content.Sink.write(response, true, mapper.writeValueAsString(body), callback);
    }
    return true;
  }

  /**
   * RFC 9112 section 9.6: an answer after which the connection closes says so. Jetty gives up the connection after
   * some refusals whatever the body: a request line it could not parse leaves it nothing to find the next request
   * by, and a body it could not consume before calling here is still arriving. It decides so once the answer is
   * complete, after its headers are gone, and the client would otherwise learn of it from a reset on its next
   * request. (Answers from our routes need none of this: Jetty's servlet layer settles it before it commits.)
   */
  private static void announceIfClosing(Request request, Response response) {
    if (!request.consumeAvailable() || !request.getConnectionMetaData().isPersistent()) {
      response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    }
  }

  private static String describe(int code) {
    return switch (code) {
      case HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431 -> "The request headers are too large.";
      case HttpStatus.URI_TOO_LONG_414 -> "The request URI is too long.";
      case HttpStatus.PAYLOAD_TOO_LARGE_413 -> "The request body is too large.";
      default -> "The request is malformed (its request line, path encoding or headers).";
    };
  }
}
