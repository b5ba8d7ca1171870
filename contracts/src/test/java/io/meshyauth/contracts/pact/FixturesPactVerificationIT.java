package io.meshyauth.contracts.pact;

import static org.assertj.core.api.Assertions.assertThat;

import au.com.dius.pact.provider.junit5.HttpTestTarget;
import au.com.dius.pact.provider.junit5.PactVerificationContext;
import au.com.dius.pact.provider.junit5.PactVerificationInvocationContextProvider;
import au.com.dius.pact.provider.junitsupport.IgnoreMissingStateChange;
import au.com.dius.pact.provider.junitsupport.Provider;
import au.com.dius.pact.provider.junitsupport.State;
import au.com.dius.pact.provider.junitsupport.loader.PactFolder;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshyauth.contracts.FixturesServer;
import io.meshyauth.server.fixtures.ContractFixtures;
import io.meshyauth.server.fixtures.ProviderStateEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pact verified as a consumer team verifies its own against the jar: one {@code serve --fixtures} process for
 * every interaction, each interaction's provider states set up through the provider-state endpoint with the
 * body every Pact verifier posts ({@code pact_verifier_cli --provider-states-setup-url}, pact-js's
 * {@code providerStatesSetupUrl}). No state is set up in process: the pact passes on the jar alone. The states
 * that answer values are posted from {@link State} methods, so that Pact injects their answer into the request.
 */
@Provider(ProviderStates.PROVIDER)
@PactFolder("target/pacts")
@IgnoreMissingStateChange
class FixturesPactVerificationIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static FixturesServer server;
  // the states that answer values (a hash, an access token): set up by the @State methods below, whose answer Pact
  // fills the interaction's fromProviderState expressions from, as pact_verifier_cli does with the setup's answer
  private static final Set<String> STATES_WITH_VALUES = Set.of(ContractFixtures.QUESTION_RESET_STARTED,
      ContractFixtures.QUESTION_USER_LOGGED_IN, ContractFixtures.ADMINISTRATOR_SIGNED_IN,
      ContractFixtures.PLAIN_USER_SIGNED_IN, ContractFixtures.ROLE_WITH_PERMISSION, ContractFixtures.CHANGEABLE_ROLE,
      ContractFixtures.ACTIVE_USER_LOGGED_IN);
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startTheJar() {
    server = FixturesServer.start();
  }

  @AfterAll
  static void stopTheJar() {
    server.close();
  }

  @BeforeEach
  void setUpStates(PactVerificationContext context) throws Exception {
    var url = URI.create(server.baseUrl());
    context.setTarget(new HttpTestTarget(url.getHost(), url.getPort(), "/",
        () -> providerInfo -> HttpClients.custom().disableAutomaticRetries().build()));
    for (var state : context.getInteraction().getProviderStates()) {
      if (!STATES_WITH_VALUES.contains(state.getName())) {
        setUp(state.getName(), state.getParams());
      }
    }
  }

  @State(ContractFixtures.QUESTION_RESET_STARTED)
  Map<String, Object> questionResetStarted() throws Exception {
    return setUp(ContractFixtures.QUESTION_RESET_STARTED, Map.of());
  }

  @State(ContractFixtures.QUESTION_USER_LOGGED_IN)
  Map<String, Object> questionUserLoggedIn() throws Exception {
    return setUp(ContractFixtures.QUESTION_USER_LOGGED_IN, Map.of());
  }

  @State(ContractFixtures.ACTIVE_USER_LOGGED_IN)
  Map<String, Object> activeUserLoggedIn() throws Exception {
    return setUp(ContractFixtures.ACTIVE_USER_LOGGED_IN, Map.of());
  }

  @State(ContractFixtures.ADMINISTRATOR_SIGNED_IN)
  Map<String, Object> administratorSignedIn() throws Exception {
    return setUp(ContractFixtures.ADMINISTRATOR_SIGNED_IN, Map.of());
  }

  @State(ContractFixtures.PLAIN_USER_SIGNED_IN)
  Map<String, Object> plainUserSignedIn() throws Exception {
    return setUp(ContractFixtures.PLAIN_USER_SIGNED_IN, Map.of());
  }

  @State(ContractFixtures.ROLE_WITH_PERMISSION)
  Map<String, Object> roleWithPermission() throws Exception {
    return setUp(ContractFixtures.ROLE_WITH_PERMISSION, Map.of());
  }

  @State(ContractFixtures.CHANGEABLE_ROLE)
  Map<String, Object> changeableRole() throws Exception {
    return setUp(ContractFixtures.CHANGEABLE_ROLE, Map.of());
  }

  /** Posts the setup as every Pact verifier does, and answers the values the jar answered. */
  private Map<String, Object> setUp(String state, Map<String, ?> params) throws Exception {
    var body = new LinkedHashMap<String, Object>();
    body.put("state", state);
    body.put("params", params);
    body.put("action", "setup");
    var answer = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + ProviderStateEndpoint.PATH))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as("setting up '" + state + "': " + answer.body()).isEqualTo(200);
    return JSON.readValue(answer.body(), new TypeReference<Map<String, Object>>() { });
  }

  @TestTemplate
  @ExtendWith(PactVerificationInvocationContextProvider.class)
  void theJarHonoursTheInteraction(PactVerificationContext context) {
    context.verifyInteraction();
  }
}
