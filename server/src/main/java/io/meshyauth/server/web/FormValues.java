package io.meshyauth.server.web;

import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.routing.FormParameter;
import java.util.Optional;

/** RFC 6749 section 3.2 rules for one form parameter, applied to every value the client sent. */
final class FormValues {
  private FormValues() {
  }

  /** The one value of the parameter; a parameter sent without a value counts as omitted. */
  static Optional<String> optional(FormParameter parameter) {
    var values = parameter.values().stream().filter(v -> !v.isEmpty()).toList();
    if (values.size() > 1) {
      throw ApiError.invalidRequest("The " + parameter.name() + " parameter must not be repeated.");
    }
    return values.stream().findFirst();
  }

  static String required(FormParameter parameter) {
    return optional(parameter).orElseThrow(
        () -> ApiError.invalidRequest("The " + parameter.name() + " parameter is required."));
  }
}
