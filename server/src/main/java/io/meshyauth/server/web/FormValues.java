package io.meshyauth.server.web;

import io.meshyauth.server.oauth.OAuthError;
import java.util.List;
import java.util.Optional;

/** RFC 6749 section 3.2 rules for one form parameter, applied to every value the client sent. */
final class FormValues {
  private FormValues() {
  }

  /** The one value of the parameter; a parameter sent without a value counts as omitted. */
  static Optional<String> optional(String name, List<String> sent) {
    var values = sent.stream().filter(v -> !v.isEmpty()).toList();
    if (values.size() > 1) {
      throw OAuthError.invalidRequest("The " + name + " parameter must not be repeated.");
    }
    return values.stream().findFirst();
  }

  static String required(String name, List<String> sent) {
    return optional(name, sent).orElseThrow(() -> OAuthError.invalidRequest("The " + name + " parameter is required."));
  }
}
