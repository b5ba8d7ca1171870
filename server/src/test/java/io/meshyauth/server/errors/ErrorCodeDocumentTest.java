package io.meshyauth.server.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The error codes are declared once, in the document: each error schema's {@code x-extensible-enum} lists its
 * codes. {@link ErrorCode} names the same codes, no more and no fewer, and each with a status at which the document
 * answers with the schema that declares it.
 */
class ErrorCodeDocumentTest {
  private static final List<String> ERROR_SCHEMAS =
      List.of("ErrorResponse", "BearerError", "NotFoundError", "MethodNotAllowedError", "RateLimitError");
  private static final OpenAPI API = new OpenAPIV3Parser().read(ErrorCodeDocumentTest.class.getClassLoader()
      .getResource("openapi/meshy-auth.yaml").toString());

  @Test
  void theServersCodesAreTheCodesTheDocumentDeclares() {
    var declared = new TreeSet<String>();
    ERROR_SCHEMAS.forEach(schema -> declared.addAll(codesOf(schema)));

    Set<String> ours = Arrays.stream(ErrorCode.values()).map(ErrorCode::code).collect(Collectors.toSet());

    assertThat(ours).containsExactlyInAnyOrderElementsOf(declared);
  }

  @Test
  void eachCodesStatusIsOneTheDocumentAnswersWithItsSchema() {
    var statuses = statusesBySchema();
    for (var code : ErrorCode.values()) {
      var schema = ERROR_SCHEMAS.stream().filter(name -> codesOf(name).contains(code.code())).findFirst().orElseThrow();
      assertThat(statuses.getOrDefault(schema, Set.of())).as("%s (%s) is answered with %d", code, schema, code.status())
          .contains(code.status());
    }
  }

  private static List<String> codesOf(String schema) {
    @SuppressWarnings("unchecked")
    var error = (Schema<Object>) API.getComponents().getSchemas().get(schema).getProperties().get("error");
    @SuppressWarnings("unchecked")
    var codes = (List<String>) error.getExtensions().get("x-extensible-enum");
    return codes;
  }

  /** For each schema, the statuses of the operations' answers whose JSON body it is. */
  private static Map<String, Set<Integer>> statusesBySchema() {
    var statuses = new HashMap<String, Set<Integer>>();
    API.getPaths().values().forEach(path -> path.readOperations().forEach(operation ->
        operation.getResponses().forEach((status, response) -> {
          if (response.get$ref() != null) {
            response = API.getComponents().getResponses().get(response.get$ref().replaceFirst(".*/", ""));
          }
          if (response.getContent() == null || !status.matches("\\d{3}")) {
            return;
          }
          var json = response.getContent().get("application/json");
          if (json != null && json.getSchema() != null && json.getSchema().get$ref() != null) {
            statuses.computeIfAbsent(json.getSchema().get$ref().replaceFirst(".*/", ""), name -> new TreeSet<>())
                .add(Integer.parseInt(status));
          }
        })));
    return statuses;
  }
}
