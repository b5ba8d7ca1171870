package io.meshyauth.contracts.pact;

import au.com.dius.pact.provider.junit5.HttpTestTarget;
import au.com.dius.pact.provider.junit5.PactVerificationContext;
import au.com.dius.pact.provider.junit5.PactVerificationInvocationContextProvider;
import au.com.dius.pact.provider.junitsupport.Provider;
import au.com.dius.pact.provider.junitsupport.State;
import au.com.dius.pact.provider.junitsupport.loader.PactFolder;
import io.meshyauth.contracts.ProviderFixtures;
import io.meshyauth.server.fixtures.ContractFixtures;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server's side of the pact: replays every interaction that {@code MeshyClientPactTest} wrote to
 * target/pacts against the real server, started afresh for each interaction over an empty store that the
 * {@link State} methods fill. Runs as a failsafe IT, after the consumer tests of the test phase.
 */
@Provider(ProviderStates.PROVIDER)
@PactFolder("target/pacts")
class MeshyServerPactIT {
  private ProviderFixtures provider;

  @BeforeEach
  void startServer(PactVerificationContext context) {
    provider = ProviderFixtures.start();
    // the default client obeys Retry-After and would sit out the 429 interaction: no automatic retries
    context.setTarget(new HttpTestTarget("127.0.0.1", provider.port(), "/",
        () -> providerInfo -> HttpClients.custom().disableAutomaticRetries().build()));
  }

  @AfterEach
  void stopServer() {
    provider.close();
  }

  @TestTemplate
  @ExtendWith(PactVerificationInvocationContextProvider.class)
  void serverHonoursTheInteraction(PactVerificationContext context) {
    context.verifyInteraction();
  }

  @State(ContractFixtures.ACTIVE_USER)
  void activeUser() {
    provider.given(ContractFixtures.ACTIVE_USER);
  }

  @State(ContractFixtures.INACTIVE_USER)
  void inactiveUser() {
    provider.given(ContractFixtures.INACTIVE_USER);
  }

  @State(ContractFixtures.ANONYMOUS_USER)
  void anonymousUser() {
    provider.given(ContractFixtures.ANONYMOUS_USER);
  }

  @State(ContractFixtures.NARROW_ACCOUNT_STATE)
  void narrowAccount() {
    provider.given(ContractFixtures.NARROW_ACCOUNT_STATE);
  }

  @State(ContractFixtures.LIVE_REFRESH_TOKEN)
  void liveRefreshToken() {
    provider.given(ContractFixtures.LIVE_REFRESH_TOKEN);
  }

  @State(ContractFixtures.LIVE_LOGIN_REFRESH_TOKEN)
  void loginRefreshToken() {
    provider.given(ContractFixtures.LIVE_LOGIN_REFRESH_TOKEN);
  }

  @State(ContractFixtures.EXPIRED_REFRESH_TOKEN_STATE)
  void expiredRefreshToken() {
    provider.given(ContractFixtures.EXPIRED_REFRESH_TOKEN_STATE);
  }

  @State(ContractFixtures.ROTATED_REFRESH_TOKEN_STATE)
  void rotatedRefreshToken() {
    provider.given(ContractFixtures.ROTATED_REFRESH_TOKEN_STATE);
  }

  @State(ContractFixtures.LIMIT_USED_UP)
  void limitUsedUp() {
    provider.given(ContractFixtures.LIMIT_USED_UP);
  }

  @State(ContractFixtures.BRUTE_FORCED_USER)
  void bruteForcedUser() {
    provider.given(ContractFixtures.BRUTE_FORCED_USER);
  }

  @State(ContractFixtures.REGISTRATION_DISABLED)
  void registrationDisabled() {
    provider.given(ContractFixtures.REGISTRATION_DISABLED);
  }

  @State(ContractFixtures.ACCOUNT_EXISTS)
  void accountExists() {
    provider.given(ContractFixtures.ACCOUNT_EXISTS);
  }

  @State(ContractFixtures.REGISTRATION_ENABLED)
  void registrationEnabled() {
    provider.given(ContractFixtures.REGISTRATION_ENABLED);
  }

  @State(ContractFixtures.DEVICE_REGISTERED)
  void deviceRegistered() {
    provider.given(ContractFixtures.DEVICE_REGISTERED);
  }
}
