package io.meshyauth.contracts.scc;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Every form-body stub of the stubs jar answers the same request however a client writes the form, as the
 * server does: the Java SDK's order with {@code +} for spaces; reordered with {@code %20} and an extra empty
 * parameter; and the field set of MeshyDB's JS SDK (every field of its request object, empty ones included,
 * as Node's querystring encodes them). And a stub is no wildcard: a request with another value for one of its
 * parameters is not answered by it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StubFormMatchingIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new YAMLMapper();

  private final WireMockServer wireMock = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() {
    wireMock.start();
    StubsJar.mappings().values().stream().map(StubMapping::buildFrom).forEach(wireMock::addStubMapping);
  }

  @AfterAll
  void stop() {
    wireMock.stop();
  }

  /** A client's way of writing a form: content type and body from the stub's parameters. */
  private record Style(String name, String contentType, java.util.function.Function<Form, String> body) {
  }

  private record Form(String path, Map<String, String> parameters) {
  }

  private static final List<Style> STYLES = List.of(
      new Style("as the Java SDK writes it", "application/x-www-form-urlencoded; charset=UTF-8",
          form -> encode(form.parameters(), "+")),
      new Style("reordered, %20 for spaces, an extra empty parameter", "application/x-www-form-urlencoded",
          form -> {
            var reversed = new ArrayList<>(form.parameters().entrySet());
            Collections.reverse(reversed);
            var map = new LinkedHashMap<String, String>();
            reversed.forEach(e -> map.put(e.getKey(), e.getValue()));
            return encode(map, "%20") + "&client_secret=";
          }),
      new Style("as MeshyDB's JS SDK sends it", "application/x-www-form-urlencoded;charset=utf-8",
          form -> encode(jsSdkFields(form), "%20")));

  @TestFactory
  Stream<DynamicTest> everyFormStubMatchesEveryClientStyle() {
    var tests = new ArrayList<DynamicTest>();
    for (var mapping : formMappings().entrySet()) {
      for (var style : STYLES) {
        tests.add(DynamicTest.dynamicTest(shortName(mapping.getKey()) + " " + style.name(), () -> {
          var stub = JSON.readTree(mapping.getValue());
          var response = send(stub, style.contentType(), style.body().apply(formOf(mapping.getKey(), stub)));

          assertThat(response.statusCode()).isEqualTo(stub.path("response").path("status").asInt());
          assertThat(matchedStubId()).as("the stub that answered").isEqualTo(stub.path("id").asText());
        }));
      }
    }
    assertThat(tests).isNotEmpty();
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> aFormStubDoesNotAnswerAnotherValue() {
    return formMappings().entrySet().stream().map(mapping -> DynamicTest.dynamicTest(shortName(mapping.getKey()),
        () -> {
          var stub = JSON.readTree(mapping.getValue());
          var form = formOf(mapping.getKey(), stub);
          var changed = new LinkedHashMap<>(form.parameters());
          // an exact parameter where the stub has one; otherwise one it matches by regex, which this value fails
          var parameters = stub.path("request").path("formParameters").properties();
          var changedName = parameters.stream().filter(p -> p.getValue().has("equalTo")).map(Map.Entry::getKey)
              .findFirst().orElseGet(() -> parameters.iterator().next().getKey());
          changed.put(changedName, "something-else");

          send(stub, "application/x-www-form-urlencoded", encode(changed, "%20"));

          assertThat(matchedStubId()).isNotEqualTo(stub.path("id").asText());
        }));
  }

  private Map<String, String> formMappings() {
    var forms = new LinkedHashMap<String, String>();
    StubsJar.mappings().forEach((name, json) -> {
      if (json.contains("\"formParameters\"")) {
        forms.put(name, json);
      }
    });
    return forms;
  }

  /**
   * Sends the stub's request in its scenario's state, as the only request WireMock has seen, with the headers the
   * stub asks for exactly (a confidential client's Basic credentials).
   */
  private HttpResponse<String> send(JsonNode stub, String contentType, String body) throws Exception {
    wireMock.resetRequests();
    wireMock.resetScenarios();
    if (stub.has("scenarioName") && stub.has("requiredScenarioState")) {
      wireMock.setScenarioState(stub.path("scenarioName").asText(), stub.path("requiredScenarioState").asText());
    }
    var request = HttpRequest.newBuilder(URI.create(wireMock.baseUrl() + stub.path("request").path("urlPath").asText()))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    stub.path("request").path("headers").properties().forEach(header -> {
      if (!header.getKey().equalsIgnoreCase("Content-Type") && header.getValue().has("equalTo")) {
        request.header(header.getKey(), header.getValue().path("equalTo").asText());
      }
    });
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String matchedStubId() {
    var events = wireMock.getAllServeEvents();
    assertThat(events).hasSize(1);
    var matched = events.get(0).getStubMapping();
    return matched == null || matched.getId() == null ? "(none)" : matched.getId().toString();
  }

  /** The stub's parameters: its exact values, and the contract's example where it matches by regex. */
  private static Form formOf(String mappingName, JsonNode stub) throws Exception {
    var contract = YAML.readTree(StubsJar.contracts().get(mappingName.replace("/mappings/", "/contracts/")
        .replaceFirst("(\\.variant-[0-9]+)?\\.json$", ".yml")));
    var parameters = new LinkedHashMap<String, String>();
    stub.path("request").path("formParameters").properties().forEach(p -> parameters.put(p.getKey(),
        p.getValue().has("equalTo") ? p.getValue().path("equalTo").asText()
            : URLDecoder.decode(contract.path("request").path("body").path(p.getKey()).asText(),
                StandardCharsets.UTF_8)));
    return new Form(stub.path("request").path("urlPath").asText(), parameters);
  }

  /**
   * What MeshyDB's JS SDK posts (reference/meshydb-api.md): grant_type first and every field of its request
   * object, those it has no value for sent empty (a client_id too, where a service's Basic header names it).
   */
  private static Map<String, String> jsSdkFields(Form form) {
    var fields = new LinkedHashMap<String, String>();
    var p = form.parameters();
    if (form.path().endsWith("/connect/token")) {
      fields.put("grant_type", p.get("grant_type"));
      fields.put("client_id", p.getOrDefault("client_id", ""));
      fields.put("client_secret", "");
      fields.put("username", p.getOrDefault("username", ""));
      fields.put("password", p.getOrDefault("password", ""));
      fields.put("scope", p.getOrDefault("scope", ""));
      fields.put("refresh_token", p.getOrDefault("refresh_token", ""));
    } else {
      fields.put("client_id", p.getOrDefault("client_id", ""));
      fields.put("client_secret", "");
      fields.put("token", p.get("token"));
      fields.put("token_type_hint", p.getOrDefault("token_type_hint", ""));
    }
    p.forEach(fields::putIfAbsent);
    return fields;
  }

  private static String encode(Map<String, String> form, String space) {
    var pairs = new ArrayList<String>();
    form.forEach((name, value) -> pairs.add(name + "="
        + URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", space)));
    return String.join("&", pairs);
  }

  private static String shortName(String mappingName) {
    return mappingName.replaceFirst(".*/mappings/", "");
  }
}
