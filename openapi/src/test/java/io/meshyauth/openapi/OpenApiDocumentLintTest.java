package io.meshyauth.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The document's own lint: it parses without a single message, and keeps the rules that make it usable as
 * the one source of truth for generated clients in any language.
 */
class OpenApiDocumentLintTest {
  private static final String SPEC = "openapi/meshy-auth.yaml";
  private static OpenAPI api;
  private static List<String> parseMessages;

  @BeforeAll
  static void parse() {
    var options = new ParseOptions();
    options.setResolve(true);
    options.setResolveFully(true);
    var result = new OpenAPIV3Parser().readLocation(
        OpenApiDocumentLintTest.class.getClassLoader().getResource(SPEC).toString(), null, options);
    api = result.getOpenAPI();
    parseMessages = result.getMessages();
  }

  @Test
  void documentParsesWithoutMessages() {
    assertThat(parseMessages).isEmpty();
    assertThat(api.getOpenapi()).isEqualTo("3.0.3");
  }

  @Test
  void everyOperationHasIdSummaryTagAndDescribedResponses() {
    operations().forEach((name, op) -> {
      assertThat(op.getOperationId()).as(name + " operationId").isNotBlank();
      assertThat(op.getSummary()).as(name + " summary").isNotBlank();
      assertThat(op.getTags()).as(name + " tags").isNotEmpty();
      op.getResponses().forEach((status, response) ->
          assertThat(response.getDescription()).as(name + " " + status + " description").isNotBlank());
    });
  }

  /**
   * The generated route answers one success status; an operation with two (MeshyDB's register: 201 with a body,
   * or 204) names the one with a body in {@code x-status} and answers 204 when it has none
   * ({@code x-no-content-when-empty}), as server/src/main/templates/api.mustache reads them.
   */
  @Test
  void everyOperationDeclaresOneSuccessAndServerError() {
    operations().forEach((name, op) -> {
      var successes = op.getResponses().keySet().stream().filter(status -> status.startsWith("2")).toList();
      if (successes.size() == 2) {
        var extensions = op.getExtensions();
        assertThat(extensions).as(name).containsEntry("x-no-content-when-empty", true);
        assertThat(successes).as(name).contains("204", String.valueOf(extensions.get("x-status")));
      } else {
        assertThat(successes).as(name).hasSize(1);
      }
      assertThat(op.getResponses()).as(name).containsKey("500");
    });
  }

  @Test
  void everyPostDeclaresBadRequestAndRateLimitWithRetryAfter() {
    operations().forEach((name, op) -> {
      if (name.startsWith("POST")) {
        assertThat(op.getResponses()).as(name).containsKeys("400", "429");
        assertThat(op.getResponses().get("429").getHeaders()).as(name).containsKey("Retry-After");
      }
    });
  }

  /** Malformed requests and wrong methods are refused before any operation runs, on every path alike. */
  @Test
  void everyOperationDeclaresBadRequestAndMethodNotAllowedWithAllow() {
    operations().forEach((name, op) -> {
      assertThat(op.getResponses()).as(name).containsKeys("400", "405");
      assertThat(op.getResponses().get("405").getHeaders()).as(name).containsKey("Allow");
    });
  }

  @Test
  void everyErrorResponseHasExamples() {
    operations().forEach((name, op) -> op.getResponses().forEach((status, response) -> {
      if (!status.startsWith("2")) {
        assertThat(response.getContent().get("application/json").getExamples())
            .as(name + " " + status + " examples").isNotEmpty();
      }
    }));
  }

  @Test
  void everyFormFieldIsDescribed() {
    for (var form : List.of("TokenForm", "RevocationForm")) {
      Map<String, Schema> properties = api.getComponents().getSchemas().get(form).getProperties();
      properties.forEach((field, schema) ->
          assertThat(schema.getDescription()).as(form + "." + field).isNotBlank());
    }
  }

  @Test
  void errorCodesAreTheRegisteredOnes() {
    var error = (Schema<?>) api.getComponents().getSchemas().get("ErrorResponse").getProperties().get("error");
    var knownCodes = (List<?>) error.getExtensions().get("x-extensible-enum");
    assertThat(knownCodes).map(Object::toString).containsExactlyInAnyOrder(
        // RFC 6749 section 5.2
        "invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type",
        "invalid_scope",
        // RFC 7009 section 2.2.1, RFC 6749 section 4.1.2.1 (server_error, temporarily_unavailable)
        "unsupported_token_type", "server_error", "temporarily_unavailable");
  }

  /**
   * A closed enum in a response makes generated clients (python, kotlin, Java) throw on a value they do not know,
   * and RFC 6749 section 8.5 lets servers add error codes: known values go in x-extensible-enum instead.
   */
  @Test
  void responseFieldsHaveNoClosedEnums() {
    operations().forEach((name, op) -> op.getResponses().forEach((status, response) -> {
      if (response.getContent() != null) {
        response.getContent().forEach((type, media) ->
            assertNoClosedEnum(name + " " + status + " " + type, media.getSchema()));
      }
    }));
  }

  /**
   * Go's generated models refuse a member they do not know (DisallowUnknownFields) unless the schema allows more,
   * and RFC 6749 section 5.1, RFC 8414 section 2 and RFC 7517 section 4 let servers add members.
   */
  @Test
  void responseObjectsAllowMembersTheyDoNotName() {
    operations().forEach((name, op) -> op.getResponses().forEach((status, response) -> {
      if (response.getContent() != null) {
        response.getContent().forEach((type, media) ->
            assertOpenObjects(name + " " + status + " " + type, media.getSchema()));
      }
    }));
  }

  private static void assertOpenObjects(String where, Schema<?> schema) {
    if (schema == null) {
      return;
    }
    if (schema.getProperties() != null) {
      assertThat(schema.getAdditionalProperties()).as(where + " additionalProperties").isEqualTo(true);
      schema.getProperties().forEach((field, property) -> assertOpenObjects(where + "." + field, property));
    }
    assertOpenObjects(where + "[]", schema.getItems());
  }

  private static void assertNoClosedEnum(String where, Schema<?> schema) {
    if (schema == null) {
      return;
    }
    assertThat(schema.getEnum()).as(where + " enum").isNullOrEmpty();
    if (schema.getProperties() != null) {
      schema.getProperties().forEach((field, property) -> assertNoClosedEnum(where + "." + field, property));
    }
    assertNoClosedEnum(where + "[]", schema.getItems());
  }

  private static Map<String, Operation> operations() {
    var operations = new java.util.LinkedHashMap<String, Operation>();
    api.getPaths().forEach((path, item) ->
        item.readOperationsMap().forEach((method, op) -> operations.put(method + " " + path, op)));
    assertThat(operations).isNotEmpty();
    return operations;
  }
}
