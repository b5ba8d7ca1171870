package io.meshyauth.contracts.scc;

import io.meshyauth.contracts.ProviderFixtures;
import io.meshyauth.server.fixtures.ContractFixtures;
import io.restassured.RestAssured;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
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
  private ProviderFixtures provider;

  @BeforeEach
  void startServer() {
    provider = ProviderFixtures.start().allStates();
    // the generated tests call RestAssured.given(): its static configuration is the only way in
    RestAssured.baseURI = "http://127.0.0.1";
    RestAssured.port = provider.port();
    RestAssured.filters(this::liveBearer);
  }

  /**
   * A contract of the signed-in user's operations holds an example access token (the stub takes any of JWT
   * shape); the server takes only tokens it signed, with keys made for this store. So the example is replaced by
   * a live token of quinn's, the user those contracts name, from the provider state that logs quinn in.
   */
  private Response liveBearer(FilterableRequestSpecification request, FilterableResponseSpecification response,
      FilterContext context) {
    if (request.getHeaders().hasHeaderWithName("Authorization")) {
      var token = provider.given(ContractFixtures.QUESTION_USER_LOGGED_IN).get("accessToken");
      request.removeHeader("Authorization");
      request.header("Authorization", "Bearer " + token);
    }
    return context.next(request, response);
  }

  @AfterEach
  void stopServer() {
    RestAssured.reset();
    provider.close();
  }
}
