package io.meshyauth.server.routing;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** What the generated routes need to read a request as the document declares it. */
public final class Requests {
  private Requests() {
  }

  /**
   * Reads the parameters; a body that does not decode (broken form encoding, JSON not of the declared schema,
   * too large) is a {@link MalformedRequestException}.
   */
  public static <T> T read(Supplier<T> reader) {
    try {
      return reader.get();
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

  public static void requireContentType(Context ctx, List<String> accepted) {
    String sent = ctx.contentType();
    String mediaType = sent == null ? "" : sent.split(";", 2)[0].trim();
    if (accepted.stream().noneMatch(mediaType::equalsIgnoreCase)) {
      throw new MalformedRequestException("The request body must be one of " + accepted + ".", null);
    }
  }
}
