package io.meshyauth.contracts.pact;

import au.com.dius.pact.provider.junit5.HttpTestTarget;
import au.com.dius.pact.provider.junit5.PactVerificationContext;
import au.com.dius.pact.provider.junit5.PactVerificationInvocationContextProvider;
import au.com.dius.pact.provider.junitsupport.Provider;
import au.com.dius.pact.provider.junitsupport.State;
import au.com.dius.pact.provider.junitsupport.loader.PactFolder;
import io.meshyauth.contracts.ProviderFixtures;
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

  @State(ProviderStates.ACTIVE_USER)
  void activeUser() {
    provider.activeUser();
  }

  @State(ProviderStates.INACTIVE_USER)
  void inactiveUser() {
    provider.inactiveUser();
  }

  @State(ProviderStates.ANONYMOUS_USER)
  void anonymousUser() {
    provider.anonymousUser();
  }

  @State(ProviderStates.NARROW_ACCOUNT)
  void narrowAccount() {
    provider.narrowAccountWithUser();
  }

  @State(ProviderStates.LIVE_REFRESH_TOKEN)
  void liveRefreshToken() {
    provider.liveRefreshToken(ProviderFixtures.REFRESH_TOKEN);
  }

  @State(ProviderStates.LOGIN_REFRESH_TOKEN)
  void loginRefreshToken() {
    provider.liveRefreshToken(ProviderFixtures.LOGIN_REFRESH_TOKEN);
  }

  @State(ProviderStates.EXPIRED_REFRESH_TOKEN)
  void expiredRefreshToken() {
    provider.expiredRefreshToken();
  }

  @State(ProviderStates.ROTATED_REFRESH_TOKEN)
  void rotatedRefreshToken() {
    provider.rotatedRefreshToken();
  }

  @State(ProviderStates.LIMIT_USED_UP)
  void limitUsedUp() {
    provider.limitedAccountUsedUp();
  }

  @State(ProviderStates.BRUTE_FORCED_USER)
  void bruteForcedUser() {
    provider.bruteForcedUser();
  }

  @State({ProviderStates.REGISTRATION_DISABLED, ProviderStates.ACCOUNT_EXISTS})
  void account() {
    provider.account();
  }

  @State(ProviderStates.REGISTRATION_ENABLED)
  void registrationEnabled() {
    provider.openAccount();
  }

  @State(ProviderStates.DEVICE_REGISTERED)
  void deviceRegistered() {
    provider.registeredDevice();
  }
}
