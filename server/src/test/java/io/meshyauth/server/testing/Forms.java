package io.meshyauth.server.testing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/** Form bodies as clients send them (application/x-www-form-urlencoded, UTF-8). */
public final class Forms {
  private Forms() {
  }

  /** The form's parameters in its iteration order, each name and value percent-encoded. */
  public static String encode(Map<String, String> form) {
    return form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
