package io.meshyauth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshyauth.server.testing.Forms;
import io.meshyauth.server.testing.HttpAnswer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A plain HTTP client for tests that checks every exchange against the OpenAPI document, so a drift
 * between the server and its spec fails the test that made the call.
 */
final class SpecCheckedHttp {
  static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator
      .createForInlineApiSpecification(strictSpec())
      .build();
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String FORM = "application/x-www-form-urlencoded";

  private final HttpClient http = HttpClient.newHttpClient();
  private final String baseUrl;
  private final Duration timeout;

  SpecCheckedHttp(String baseUrl) {
    this(baseUrl, Duration.ofMinutes(5));
  }

  /** A client that gives up on an answer after {@code timeout}, failing the test as a client would give up. */
  SpecCheckedHttp(String baseUrl, Duration timeout) {
    this.baseUrl = baseUrl;
    this.timeout = timeout;
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout);
  }

  /**
   * The document with its open responses closed: clients must accept values and members beyond the known ones,
   * but this server must send only those it documents.
   */
  private static String strictSpec() {
    try (var in = Objects.requireNonNull(SpecCheckedHttp.class.getClassLoader()
        .getResourceAsStream("openapi/meshy-auth.yaml"), "the openapi module's jar is on the test classpath")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("x-extensible-enum:", "enum:")
          .replace("additionalProperties: true", "additionalProperties: false");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Posts a well-formed form; both the request and the response must conform to the document. */
  Answer postForm(String path, Map<String, String> form) {
    return postForm(path, form, Map.of());
  }

  /** As {@link #postForm(String, Map)}, with extra request headers such as a proxy's X-Forwarded-For. */
  Answer postForm(String path, Map<String, String> form, Map<String, String> headers) {
    var body = Forms.encode(form);
    var answer = send(path, FORM, body, headers);
    var report = VALIDATOR.validate(
        SimpleRequest.Builder.post(path).withContentType(FORM).withBody(body).build(), answer.asValidatorResponse());
    assertThat(report.getMessages()).as("request and response conform to the OpenAPI document").isEmpty();
    return answer;
  }

  /** A GET; the exchange must conform to the document. */
  Answer get(String path) {
    try {
      var answer = new Answer(http.send(request(path).GET().build(),
          HttpResponse.BodyHandlers.ofString()));
      var report = VALIDATOR.validate(SimpleRequest.Builder.get(path).build(), answer.asValidatorResponse());
      assertThat(report.getMessages()).as("request and response conform to the OpenAPI document").isEmpty();
      return answer;
    } catch (IOException e) {
      throw new AssertionError("request failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** A GET with a bearer token (RFC 6750 section 2.1); the exchange must conform to the document. */
  Answer get(String path, String bearerToken) {
    var answer = send(request(path).GET()
        .header("Authorization", "Bearer " + bearerToken));
    var report = VALIDATOR.validate(SimpleRequest.Builder.get(path).withAuthorization("Bearer " + bearerToken).build(),
        answer.asValidatorResponse());
    assertThat(report.getMessages()).as("request and response conform to the OpenAPI document").isEmpty();
    return answer;
  }

  /** A GET with whatever Authorization header a client might send, or none; only the response is checked. */
  Answer getWithAuthorization(String path, String authorization) {
    var request = request(path).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    var answer = send(request);
    var report = VALIDATOR.validateResponse(path, Request.Method.GET, answer.asValidatorResponse());
    assertThat(report.getMessages()).as("response conforms to the OpenAPI document").isEmpty();
    return answer;
  }

  /** Posts JSON with a bearer token; the exchange must conform to the document. */
  Answer postJson(String path, String json, String bearerToken) {
    var answer = send(jsonWithBearer(path, json, bearerToken));
    var report = VALIDATOR.validate(SimpleRequest.Builder.post(path).withContentType("application/json")
        .withAuthorization("Bearer " + bearerToken).withBody(json).build(), answer.asValidatorResponse());
    assertThat(report.getMessages()).as("request and response conform to the OpenAPI document").isEmpty();
    return answer;
  }

  /** Puts JSON with a bearer token; the exchange must conform to the document. */
  Answer putJson(String path, String json, String bearerToken) {
    var answer = send(request(path).PUT(HttpRequest.BodyPublishers.ofString(json))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + bearerToken));
    var report = VALIDATOR.validate(SimpleRequest.Builder.put(path).withContentType("application/json")
        .withAuthorization("Bearer " + bearerToken).withBody(json).build(), answer.asValidatorResponse());
    assertThat(report.getMessages()).as("request and response conform to the OpenAPI document").isEmpty();
    return answer;
  }

  /** Puts JSON that may break the document's schema (MeshyDB's SDKs' whole user); only the response is checked. */
  Answer putJsonUnchecked(String path, String json, String bearerToken) {
    var answer = send(request(path).PUT(HttpRequest.BodyPublishers.ofString(json))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + bearerToken));
    var report = VALIDATOR.validateResponse(path, Request.Method.PUT, answer.asValidatorResponse());
    assertThat(report.getMessages()).as("response conforms to the OpenAPI document").isEmpty();
    return answer;
  }

  /** Posts JSON that may break the document's schema, with a bearer token; only the response is checked. */
  Answer postJsonUnchecked(String path, String json, String bearerToken) {
    var answer = send(jsonWithBearer(path, json, bearerToken));
    var report = VALIDATOR.validateResponse(path, Request.Method.POST, answer.asValidatorResponse());
    assertThat(report.getMessages()).as("response conforms to the OpenAPI document").isEmpty();
    return answer;
  }
  private HttpRequest.Builder jsonWithBearer(String path, String json, String bearerToken) {
    return request(path)
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + bearerToken);
  }


  private Answer send(HttpRequest.Builder request) {
    try {
      return new Answer(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      throw new AssertionError("request failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * Any method on a path with its query, with a JSON body or none and a bearer token or none. The response must
   * conform to the document; the request too when {@code checkRequest} (a client's quirks, such as the .NET SDK's
   * {@code True}, may break the document's types while the server accepts them).
   */
  Answer call(String method, String pathAndQuery, String json, String bearerToken, boolean checkRequest) {
    var request = request(pathAndQuery).method(method,
        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    if (bearerToken != null) {
      request.header("Authorization", "Bearer " + bearerToken);
    }
    var answer = send(request);
    var path = pathAndQuery.replaceFirst("\\?.*", "");
    var validated = Request.Method.valueOf(method);
    if (checkRequest) {
      var expected = new SimpleRequest.Builder(validated, path);
      if (json != null) {
        expected.withContentType("application/json").withBody(json);
      }
      if (bearerToken != null) {
        expected.withAuthorization("Bearer " + bearerToken);
      }
      var query = pathAndQuery.contains("?") ? pathAndQuery.substring(pathAndQuery.indexOf('?') + 1) : "";
      for (var pair : query.split("&")) {
        if (!pair.isEmpty()) {
          var parts = pair.split("=", 2);
          expected.withQueryParam(java.net.URLDecoder.decode(parts[0], java.nio.charset.StandardCharsets.UTF_8),
              parts.length > 1 ? java.net.URLDecoder.decode(parts[1], java.nio.charset.StandardCharsets.UTF_8) : "");
        }
      }
      var report = VALIDATOR.validate(expected.build(), answer.asValidatorResponse());
      assertThat(report.getMessages()).as("request and response conform to the OpenAPI document").isEmpty();
    } else {
      var report = VALIDATOR.validateResponse(path, validated, answer.asValidatorResponse());
      assertThat(report.getMessages()).as("response conforms to the OpenAPI document").isEmpty();
    }
    return answer;
  }

  /** Posts JSON; the exchange must conform to the document. */
  Answer postJson(String path, String json) {
    return postJson(path, json, Map.of());
  }

  /** As {@link #postJson(String, String)}, with extra request headers. */
  Answer postJson(String path, String json, Map<String, String> headers) {
    var answer = send(path, "application/json", json, headers);
    var request = SimpleRequest.Builder.post(path).withContentType("application/json").withBody(json);
    headers.forEach(request::withHeader);
    var report = VALIDATOR.validate(request.build(), answer.asValidatorResponse());
    assertThat(report.getMessages()).as("request and response conform to the OpenAPI document").isEmpty();
    return answer;
  }

  /** Posts whatever bytes a misbehaving client might; only the response must conform to the document. */
  Answer postRaw(String path, String contentType, String body) {
    var answer = send(path, contentType, body, Map.of());
    // the server treats repeated slashes as one, as the document's paths are matched
    var report = VALIDATOR.validateResponse(path.replaceAll("/{2,}", "/"), Request.Method.POST,
        answer.asValidatorResponse());
    assertThat(report.getMessages()).as("response conforms to the OpenAPI document").isEmpty();
    return answer;
  }

  private Answer send(String path, String contentType, String body, Map<String, String> headers) {
    var request = request(path)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    try {
      return new Answer(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      throw new AssertionError("request failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  record Answer(HttpResponse<String> response) implements HttpAnswer {
    @Override
    public int status() {
      return response.statusCode();
    }

    @Override
    public String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    JsonNode json() {
      try {
        return JSON.readTree(response.body());
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + response.body(), e);
      }
    }

    @Override
    public String text(String field) {
      var node = json().get(field);
      return node == null ? null : node.asText();
    }

    SimpleResponse asValidatorResponse() {
      var builder = SimpleResponse.Builder.status(response.statusCode()).withBody(response.body());
      response.headers().map().forEach(builder::withHeader);
      return builder.build();
    }
  }
}
