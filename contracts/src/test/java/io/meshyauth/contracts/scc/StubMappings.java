package io.meshyauth.contracts.scc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Rewrites the WireMock mappings Spring Cloud Contract made from the contracts (target/stubs), before the stubs
 * jar is packed, so that they match what clients send as the server does:
 * <ul>
 *   <li>A form body is matched by parameter ({@code formParameters}), not as one string: in any order, with
 *       {@code +} or {@code %20} for a space, and other parameters, such as the empty ones MeshyDB's JS SDK sends
 *       (RFC 6749 section 3.2: empty means omitted), left alone. SCC can only match a form as the whole string
 *       its generated test sends.</li>
 *   <li>What the contract's {@code metadata.stub} asks for: a WireMock scenario ({@code scenario},
 *       {@code requiredState}, {@code newState}), parameters matched by a regex instead of the example value
 *       ({@code formMatches}), and {@code variants}: copies of the stub for other parameter values in another
 *       scenario state (written beside it as {@code NAME.variant-N.json}).</li>
 * </ul>
 * Run by the build (exec-maven-plugin, prepare-package) with the stubs folder as its argument.
 */
public final class StubMappings {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper YAML = new YAMLMapper();

  private StubMappings() {
  }

  public static void main(String[] args) throws IOException {
    var root = Path.of(args[0]);
    List<Path> mappings;
    try (var files = Files.walk(root)) {
      mappings = files.filter(f -> f.toString().endsWith(".json") && f.toString().contains("/mappings/"))
          .filter(f -> !f.getFileName().toString().contains(".variant-"))
          .sorted().toList();
    }
    if (mappings.isEmpty()) {
      throw new IllegalStateException("no WireMock mappings under " + root.toAbsolutePath());
    }
    for (var mapping : mappings) {
      rewrite(mapping);
    }
  }

  private static void rewrite(Path mappingFile) throws IOException {
    var mapping = (ObjectNode) JSON.readTree(mappingFile.toFile());
    var contractFile = Path.of(mappingFile.toString().replace("/mappings/", "/contracts/")
        .replaceFirst("\\.json$", ".yml"));
    var stub = Files.exists(contractFile) ? YAML.readTree(contractFile.toFile()).path("metadata").path("stub")
        : JSON.missingNode();

    var form = formOf(mapping);
    if (form != null) {
      var request = (ObjectNode) mapping.path("request");
      request.remove("bodyPatterns");
      request.set("formParameters", formParameters(form, stub.path("formMatches")));
    }
    scenario(mapping, stub);
    JSON.writeValue(mappingFile.toFile(), mapping);

    int n = 0;
    for (var variant : stub.path("variants")) {
      if (form == null) {
        throw new IllegalStateException(contractFile + ": variants need a form body");
      }
      var copy = mapping.deepCopy();
      var values = new LinkedHashMap<>(form);
      variant.path("form").properties().forEach(e -> values.put(e.getKey(), e.getValue().asText()));
      ((ObjectNode) copy.path("request")).set("formParameters", formParameters(values, stub.path("formMatches")));
      scenario(copy, variant);
      var name = mappingFile.getFileName().toString().replaceFirst("\\.json$", ".variant-" + ++n + ".json");
      // a stub with the id of another replaces it in WireMock: every copy gets its own
      var id = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
      copy.put("id", id);
      copy.put("uuid", id);
      JSON.writeValue(mappingFile.resolveSibling(name).toFile(), copy);
    }
  }

  /** The form the contract's body is, decoded; null when the stub matches no form body. */
  private static Map<String, String> formOf(JsonNode mapping) {
    var request = mapping.path("request");
    var contentType = request.path("headers").path("Content-Type").path("matches").asText("");
    var patterns = request.path("bodyPatterns");
    if (!contentType.contains("x-www-form-urlencoded") || patterns.size() != 1 || !patterns.get(0).has("equalTo")) {
      return null;
    }
    var form = new LinkedHashMap<String, String>();
    for (var pair : patterns.get(0).path("equalTo").asText().split("&")) {
      var nameAndValue = pair.split("=", 2);
      form.put(URLDecoder.decode(nameAndValue[0], StandardCharsets.UTF_8),
          nameAndValue.length == 2 ? URLDecoder.decode(nameAndValue[1], StandardCharsets.UTF_8) : "");
    }
    return form;
  }

  private static ObjectNode formParameters(Map<String, String> form, JsonNode regexes) {
    var parameters = JSON.createObjectNode();
    form.forEach((name, value) -> parameters.set(name, regexes.has(name)
        ? JSON.createObjectNode().put("matches", regexes.path(name).asText())
        : JSON.createObjectNode().put("equalTo", value)));
    return parameters;
  }

  private static void scenario(ObjectNode mapping, JsonNode stub) {
    for (var field : Stream.of("scenario", "requiredState", "newState").toList()) {
      if (stub.has(field)) {
        var key = switch (field) {
          case "scenario" -> "scenarioName";
          case "requiredState" -> "requiredScenarioState";
          default -> "newScenarioState";
        };
        mapping.put(key, stub.path(field).asText());
      }
    }
  }
}
