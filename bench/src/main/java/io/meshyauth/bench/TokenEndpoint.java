package io.meshyauth.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Any OAuth2 token endpoint (RFC 6749 section 3.2), spoken to over HTTP/1.1 with kept-alive connections. */
final class TokenEndpoint {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI url;
  private final Duration timeout;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** The status, and the refresh token when the answer was a 200 carrying one. */
  record Answer(int status, Optional<String> refreshToken) {
    boolean ok() {
      return status == 200;
    }
  }

  TokenEndpoint(URI url, Duration timeout) {
    this.url = url;
    this.timeout = timeout;
  }

  Answer post(Map<String, String> form) throws IOException, InterruptedException {
    var request = HttpRequest.newBuilder(url).timeout(timeout)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(encode(form)))
        .build();
    var response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      return new Answer(response.statusCode(), Optional.empty());
    }
    var refreshToken = JSON.readTree(response.body()).path("refresh_token");
    return new Answer(200, refreshToken.isTextual() ? Optional.of(refreshToken.asText()) : Optional.empty());
  }

  private static String encode(Map<String, String> form) {
    return form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
