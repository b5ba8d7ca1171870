package io.meshyauth.server.routing;

import io.meshyauth.server.errors.ApiError;
import java.util.Optional;

/** RFC 6749 section 3.2 rules for one form parameter, applied to every value the client sent. */
public final class FormValues {
  private FormValues() {
  }

  /** The one value of the parameter; a parameter sent without a value counts as omitted. */
  public static Optional<String> optional(FormParameter parameter) {
    var values = parameter.values().stream().filter(v -> !v.isEmpty()).toList();
    if (values.size() > 1) {
      throw ApiError.invalidRequest("The " + parameter.name() + " parameter must not be repeated.");
    }
    return values.stream().findFirst();
  }

  public static String required(FormParameter parameter) {
    return optional(parameter).orElseThrow(
        () -> ApiError.invalidRequest("The " + parameter.name() + " parameter is required."));
  }
}
