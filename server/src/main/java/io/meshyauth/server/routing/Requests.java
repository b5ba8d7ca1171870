package io.meshyauth.server.routing;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** What the generated routes need to read a request as the document declares it. */
public final class Requests {
  /** The request attribute naming the document's operation (its operationId) that the route serves. */
  public static final String OPERATION = "meshy.operation";
  private static final String FORM = "application/x-www-form-urlencoded";

  private Requests() {
  }

  /**
   * Reads the parameters; a body that does not decode (broken form encoding, JSON not of the declared schema,
   * too large) is a {@link MalformedRequestException}.
   */
  public static <T> T read(Supplier<T> reader) {
    try {
      return reader.get();
    } catch (MalformedRequestException e) {
      throw e;
    } catch (HttpResponseException e) {
      if (e.getStatus() == HttpStatus.CONTENT_TOO_LARGE.getCode()) {
        throw new MalformedRequestException("The request body is too large.", e);
      }
      throw new MalformedRequestException("The request body is not valid.", e);
    } catch (Exception e) {
      // Javalin's JSON mapping throws Jackson's checked exceptions undeclared
      throw new MalformedRequestException("The request body is not valid.", e);
    }
  }

  /** The values sent under the parameter's name and under any alias the document lists in x-form-aliases. */
  public static FormParameter formParameter(Context ctx, String name, String... aliases) {
    var values = new ArrayList<>(ctx.formParams(name));
    for (var alias : aliases) {
      values.addAll(ctx.formParams(alias));
    }
    return new FormParameter(name, values);
  }

  /**
   * Binds {@code handler} to the method and path. A GET route answers HEAD by running the same handler (RFC 9110
   * section 9.3.2: the status and headers GET would have, without the body), where Javalin alone would answer 200
   * without running anything, so that an unknown account or a store that is down looked fine to HEAD.
   */
  public static void route(JavalinDefaultRoutingApi routes, HandlerType method, String path, Handler handler) {
    routes.addHttpHandler(method, path, handler);
    if (method == HandlerType.GET) {
      routes.addHttpHandler(HandlerType.HEAD, path, handler);
    }
  }

  /** The document's maxLength, in characters (code points) as JSON Schema counts them, of every value sent. */
  public static void requireMaxLength(FormParameter parameter, int maxLength) {
    for (var value : parameter.values()) {
      if (value.codePointCount(0, value.length()) > maxLength) {
        throw new MalformedRequestException(
            "The " + parameter.name() + " parameter must be at most " + maxLength + " characters.", null);
      }
    }
  }

  /** As {@link #requireMaxLength(FormParameter, int)}, for a field of a JSON body; a missing field passes. */
  public static void requireMaxLength(String field, String value, int maxLength) {
    if (value != null && value.codePointCount(0, value.length()) > maxLength) {
      throw new MalformedRequestException("The " + field + " field must be at most " + maxLength + " characters.", null);
    }
  }

  public static void requireContentType(Context ctx, List<String> accepted) {
    String sent = ctx.contentType();
    String mediaType = sent == null ? "" : sent.split(";", 2)[0].trim();
    if (accepted.stream().noneMatch(mediaType::equalsIgnoreCase)) {
      throw new MalformedRequestException("The request body must be one of " + accepted + ".", null);
    }
    if (FORM.equalsIgnoreCase(mediaType)) {
      // through read: a body over the size limit is refused as such
      read(() -> {
        requireWellFormedForm(ctx.bodyAsBytes());
        return null;
      });
    }
  }

  /**
   * Javalin's form parser drops a value with a broken escape ({@code %ZZ}) and turns bytes that are not UTF-8
   * into U+FFFD, so a parameter that was sent would read as missing or as another name: refused here instead,
   * as a request that is not valid form encoding (WHATWG URL application/x-www-form-urlencoded, UTF-8).
   */
  static void requireWellFormedForm(byte[] body) {
    var decoded = new ByteArrayOutputStream(body.length);
    for (int i = 0; i < body.length; i++) {
      byte b = body[i];
      if (b == '%') {
        if (i + 2 >= body.length || Character.digit(body[i + 1], 16) < 0 || Character.digit(body[i + 2], 16) < 0) {
          throw new MalformedRequestException("The request body is not valid form encoding: a % must be followed "
              + "by two hexadecimal digits.", null);
        }
        decoded.write(Character.digit(body[i + 1], 16) * 16 + Character.digit(body[i + 2], 16));
        i += 2;
      } else {
        decoded.write(b);
      }
    }
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(decoded.toByteArray()));
    } catch (CharacterCodingException e) {
      throw new MalformedRequestException("The request body is not valid form encoding: it is not UTF-8.", e);
    }
  }
}
