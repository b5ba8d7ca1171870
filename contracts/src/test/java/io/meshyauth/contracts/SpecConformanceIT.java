package io.meshyauth.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.meshyauth.contracts.scc.StubsJar;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The third side of the triangle: the Pact interactions the SDK produced and the stubs the contracts
 * produced must be exchanges the OpenAPI document allows, request and response. Together with the Pact
 * verification and the generated contract tests (server) and the stub consumer test (SDK), client, server
 * and spec are held to the same examples.
 */
class SpecConformanceIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final Path PACTS = Path.of("target/pacts");
  private static final String SECURITY_MISSING = "validation.request.security.missing";

  private final OpenApiInteractionValidator spec = OpenApiInteractionValidator
      .createForSpecificationUrl(Objects.requireNonNull(getClass().getClassLoader().getResource(
          "openapi/meshy-auth.yaml"), "the openapi module's jar is on the test classpath").toString())
      .build();

  @TestFactory
  Stream<DynamicTest> pactInteractionsConformToTheSpec() throws IOException {
    var tests = new ArrayList<DynamicTest>();
    try (var files = Files.list(PACTS)) {
      for (var file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        for (var interaction : JSON.readTree(file.toFile()).path("interactions")) {
          tests.add(DynamicTest.dynamicTest(interaction.path("description").asText(),
              () -> assertConforms(pactRequest(interaction.path("request")),
                  pactResponse(interaction.path("response")))));
        }
      }
    }
    assertThat(tests).as("interactions in " + PACTS).isNotEmpty();
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> stubsConformToTheSpec() {
    return StubsJar.mappings().entrySet().stream()
        .map(mapping -> DynamicTest.dynamicTest(mapping.getKey().replaceFirst(".*/mappings/", ""), () -> {
          var stub = JSON.readTree(mapping.getValue());
          assertConforms(stubRequest(mapping.getKey(), stub.path("request")), stubResponse(stub.path("response")));
        }));
  }

  private void assertConforms(SimpleRequest request, SimpleResponse response) {
    var report = spec.validate(request, response);
    // a 401 is the document's answer to a request without the credentials it asks for: that the request lacks
    // them is the exchange's point, not a drift (everything else about it is still checked)
    var messages = report.getMessages().stream()
        .filter(message -> !(response.getStatus() == 401 && SECURITY_MISSING.equals(message.getKey())))
        .toList();
    assertThat(messages).as("what the OpenAPI document says about this exchange").isEmpty();
  }

  private static SimpleRequest pactRequest(JsonNode request) {
    var builder = new SimpleRequest.Builder(request.path("method").asText(), request.path("path").asText());
    headers(request.path("headers")).forEach(h -> builder.withHeader(h.name(), h.values()));
    // Pact V4 keeps the query as lists of values by name
    headers(request.path("query")).forEach(q -> builder.withQueryParam(q.name(), q.values()));
    body(request.path("body")).ifPresent(builder::withBody);
    return builder.build();
  }

  private static SimpleResponse pactResponse(JsonNode response) {
    var builder = SimpleResponse.Builder.status(response.path("status").asInt());
    headers(response.path("headers")).forEach(h -> builder.withHeader(h.name(), h.values()));
    body(response.path("body")).ifPresent(builder::withBody);
    return builder.build();
  }

  /**
   * A stub holds patterns, not a request: the Content-Type is a regex, a form body is matched by parameter
   * (some by regex) and a JSON body by JSON paths. So the request checked is the contract's that the stub was
   * made from, with the stub's own parameter values where it has them (a variant's differ from its contract's).
   */
  private static SimpleRequest stubRequest(String mappingName, JsonNode request) throws IOException {
    var contract = contractOf(mappingName).path("request");
    var builder = new SimpleRequest.Builder(request.path("method").asText(), request.path("urlPath").asText());
    var contentType = contract.path("headers").path("Content-Type");
    if (!contentType.isMissingNode()) {
      var pattern = request.path("headers").path("Content-Type").path("matches").asText();
      assertThat(contentType.asText()).as("Content-Type the stub of " + mappingName + " accepts").matches(pattern);
      builder.withContentType(contentType.asText());
    }
    // the operations of a signed-in user: the contract's example bearer, which the stub matches by shape (or as it
    // is, where the stub answers one user only)
    var authorization = contract.path("headers").path("Authorization");
    if (!authorization.isMissingNode()) {
      var stubbed = request.path("headers").path("Authorization");
      var accepted = assertThat(authorization.asText()).as("Authorization the stub of " + mappingName + " accepts");
      if (stubbed.has("equalTo")) {
        accepted.isEqualTo(stubbed.path("equalTo").asText());
      } else {
        accepted.matches(stubbed.path("matches").asText());
      }
      builder.withAuthorization(authorization.asText());
    }
    request.path("queryParameters").properties().forEach(parameter -> {
      if (parameter.getValue().has("equalTo")) {
        builder.withQueryParam(parameter.getKey(), parameter.getValue().path("equalTo").asText());
      }
    });
    var form = request.path("formParameters");
    if (!form.isEmpty()) {
      var pairs = new ArrayList<String>();
      form.properties().forEach(parameter -> {
        var value = parameter.getValue().has("equalTo") ? parameter.getValue().path("equalTo").asText()
            : URLDecoder.decode(contract.path("body").path(parameter.getKey()).asText(), StandardCharsets.UTF_8);
        pairs.add(parameter.getKey() + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
      });
      builder.withBody(String.join("&", pairs));
    } else if (request.has("bodyPatterns")) {
      builder.withBody(JSON.writeValueAsString(contract.path("body")));
    }
    return builder.build();
  }

  private static JsonNode contractOf(String mappingName) throws IOException {
    var contractName = mappingName.replace("/mappings/", "/contracts/").replaceFirst("(\\.variant-[0-9]+)?\\.json$",
        ".yml");
    var contract = StubsJar.contracts().get(contractName);
    assertThat(contract).as("the contract " + contractName + " beside the stub").isNotNull();
    return YAML.readTree(contract);
  }

  private static SimpleResponse stubResponse(JsonNode response) {
    var builder = SimpleResponse.Builder.status(response.path("status").asInt());
    response.path("headers").properties().forEach(h -> builder.withHeader(h.getKey(), h.getValue().asText()));
    if (response.has("body")) {
      builder.withBody(response.path("body").asText());
    }
    return builder.build();
  }

  private record Header(String name, List<String> values) {
  }

  private static List<Header> headers(JsonNode headers) {
    var result = new ArrayList<Header>();
    headers.properties().forEach(h -> {
      var values = new ArrayList<String>();
      h.getValue().forEach(v -> values.add(v.asText()));
      result.add(new Header(h.getKey(), values));
    });
    return result;
  }

  /** Pact V4 keeps a form as text and a JSON body as a JSON value. */
  private static Optional<String> body(JsonNode body) {
    var content = body.path("content");
    if (content.isMissingNode() || content.isNull()) {
      return Optional.empty();
    }
    return Optional.of(content.isTextual() ? content.asText() : content.toString());
  }
}
