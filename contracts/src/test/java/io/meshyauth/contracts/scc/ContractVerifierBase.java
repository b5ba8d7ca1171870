package io.meshyauth.contracts.scc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshyauth.contracts.AdministrationExamples;
import io.meshyauth.contracts.ProviderFixtures;
import io.meshyauth.server.fixtures.ContractFixtures;
import io.restassured.RestAssured;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the provider tests Spring Cloud Contract generates from src/test/resources/contracts: each
 * contract runs against its own real server on a free port, over a fresh store that holds every provider
 * state at once (the states do not interfere, so no contract needs a setup of its own).
 *
 * <p>How the contracts write a form body, so that one contract serves both the generated test and the stub:
 * a YAML map, which the generated test sends joined with {@code &} and the stub matches with WireMock's
 * {@code equalTo} on the whole body. That match is by string, so the map keeps the order in which the
 * generated Feign client writes the form (its parameter order: required first, then as the document lists
 * them), and values are written already form-encoded ({@code meshy.api+offline_access}). The request's
 * Content-Type is matched by regex, because Feign appends {@code ; charset=UTF-8}.
 */
public abstract class ContractVerifierBase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BEARER = "Bearer ";
  private static final String TOKEN_PARAMETER = "token=";
  private ProviderFixtures provider;

  @BeforeEach
  void startServer() {
    provider = ProviderFixtures.start().allStates();
    // the generated tests call RestAssured.given(): its static configuration is the only way in
    RestAssured.baseURI = "http://127.0.0.1";
    RestAssured.port = provider.port();
    RestAssured.filters(this::liveValues);
  }

  /**
   * What a contract holds as an example where the server makes its own value, replaced by the live one:
   * <ul>
   *   <li>An access token: the stub takes any of JWT shape; the server takes only tokens it signed, with keys made
   *       for this store. So the example is replaced by a live token of the user its payload names ({@code sub}:
   *       ada, pat, alice, otherwise quinn, whom the sign-up contracts name), from the provider state that logs that
   *       user in: in a bearer Authorization header, and as the {@code token} an introspection asks about. A Basic
   *       Authorization header (a confidential client's credentials) is the contract's own and left alone.</li>
   *   <li>The id of a role or a permission in the path: the administration contracts write the examples of
   *       {@link AdministrationExamples}, and the states of editors and drafts answer the ids this store made.</li>
   * </ul>
   */
  private Response liveValues(FilterableRequestSpecification request, FilterableResponseSpecification response,
      FilterContext context) {
    var authorization = request.getHeaders().getValue("Authorization");
    if (authorization != null && authorization.startsWith(BEARER)) {
      var token = liveAccessToken(authorization.substring(BEARER.length()));
      request.removeHeader("Authorization");
      request.header("Authorization", BEARER + token);
    }
    var path = request.getUserDefinedPath();
    if (path.endsWith("/connect/introspect") && request.getBody() instanceof String form) {
      request.body(Arrays.stream(form.split("&"))
          .map(pair -> pair.startsWith(TOKEN_PARAMETER) && subject(pair.substring(TOKEN_PARAMETER.length())) != null
              ? TOKEN_PARAMETER + liveAccessToken(pair.substring(TOKEN_PARAMETER.length())) : pair)
          .collect(Collectors.joining("&")));
    }
    if (path.startsWith("/" + ContractFixtures.ADMIN_ACCOUNT + "/roles/")) {
      var editors = provider.given(ContractFixtures.ROLE_WITH_PERMISSION);
      var drafts = provider.given(ContractFixtures.CHANGEABLE_ROLE);
      request.path(path
          .replace(AdministrationExamples.EDITORS_ROLE_ID, editors.get("roleId").toString())
          .replace(AdministrationExamples.EDITORS_PERMISSION_ID, editors.get("permissionId").toString())
          .replace(AdministrationExamples.DRAFTS_ROLE_ID, drafts.get("roleId").toString())
          .replace(AdministrationExamples.DRAFTS_PERMISSION_ID, drafts.get("permissionId").toString()));
    }
    return context.next(request, response);
  }

  /** A live access token of the user whom the example token's payload names. */
  private Object liveAccessToken(String example) {
    var state = switch (Objects.requireNonNullElse(subject(example), "")) {
      case ContractFixtures.ADMIN_USERNAME -> ContractFixtures.ADMINISTRATOR_SIGNED_IN;
      case ContractFixtures.PLAIN_USERNAME -> ContractFixtures.PLAIN_USER_SIGNED_IN;
      case ContractFixtures.USERNAME -> ContractFixtures.ACTIVE_USER_LOGGED_IN;
      default -> ContractFixtures.QUESTION_USER_LOGGED_IN;
    };
    return provider.given(state).get("accessToken");
  }

  /** The {@code sub} of an example token's payload: empty when it has none, null when it is no JWT. */
  private static String subject(String token) {
    var parts = token.split("\\.");
    if (parts.length != 3) {
      return null;
    }
    try {
      return JSON.readTree(Base64.getUrlDecoder().decode(parts[1])).path("sub").asText("");
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  @AfterEach
  void stopServer() {
    RestAssured.reset();
    provider.close();
  }
}
