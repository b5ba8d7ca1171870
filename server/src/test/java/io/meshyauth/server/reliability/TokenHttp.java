package io.meshyauth.server.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshyauth.server.testing.Forms;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The token endpoint's grants as a client sends them, over plain HTTP/1.1. */
final class TokenHttp {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final String account;
  private final String clientId;

  TokenHttp(String account, String clientId) {
    this.account = account;
    this.clientId = clientId;
  }

  /** A status and the fully received, parsed body. */
  record Answer(int status, JsonNode body) {
    String refreshToken() {
      return body.path("refresh_token").asText(null);
    }
  }

  Answer login(String baseUrl, String username, String password) throws IOException, InterruptedException {
    var form = new LinkedHashMap<String, String>();
    form.put("grant_type", "password");
    form.put("client_id", clientId);
    form.put("username", username);
    form.put("password", password);
    form.put("scope", "meshy.api offline_access");
    return post(baseUrl, form);
  }

  Answer refresh(String baseUrl, String refreshToken) throws IOException, InterruptedException {
    return post(baseUrl, Map.of("grant_type", "refresh_token", "client_id", clientId, "refresh_token", refreshToken));
  }

  Answer revoke(String baseUrl, String refreshToken) throws IOException, InterruptedException {
    return send(baseUrl + "/" + account + "/connect/revocation", "application/x-www-form-urlencoded",
        Forms.encode(Map.of("client_id", clientId, "token", refreshToken, "token_type_hint", "refresh_token")),
        Map.of());
  }

  Answer registerAnonymous(String baseUrl, String username) throws IOException, InterruptedException {
    return send(baseUrl + "/" + account + "/users/register/anonymous", "application/json",
        JSON.writeValueAsString(Map.of("username", username)), Map.of());
  }

  Answer post(String baseUrl, Map<String, String> form) throws IOException, InterruptedException {
    return post(baseUrl, form, Map.of());
  }

  /** With extra headers, such as a trusted proxy's X-Forwarded-For. */
  Answer post(String baseUrl, Map<String, String> form, Map<String, String> headers)
      throws IOException, InterruptedException {
    return send(baseUrl + "/" + account + "/connect/token", "application/x-www-form-urlencoded", Forms.encode(form),
        headers);
  }

  private Answer send(String url, String contentType, String body, Map<String, String> headers)
      throws IOException, InterruptedException {
    var request = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    // a body cut off by a crash does not parse: that answer was never received
    return new Answer(response.statusCode(),
        response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body()));
  }
}
