package io.meshyauth.contracts.scc;

import io.meshyauth.contracts.ProviderFixtures;
import io.restassured.RestAssured;
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
  }

  @AfterEach
  void stopServer() {
    RestAssured.reset();
    provider.close();
  }
}
