package io.meshyauth.contracts.pact;

import au.com.dius.pact.core.model.Pact;
import au.com.dius.pact.provider.junit5.HttpTestTarget;
import au.com.dius.pact.provider.junit5.PactVerificationContext;
import au.com.dius.pact.provider.junit5.PactVerificationInvocationContextProvider;
import au.com.dius.pact.provider.junitsupport.Provider;
import au.com.dius.pact.provider.junitsupport.State;
import au.com.dius.pact.provider.junitsupport.loader.PactFolder;
import au.com.dius.pact.provider.junitsupport.loader.PactFolderLoader;
import au.com.dius.pact.provider.junitsupport.loader.PactLoader;
import au.com.dius.pact.provider.junitsupport.loader.PactSource;
import au.com.dius.pact.provider.junitsupport.loader.PactUrlLoader;
import io.meshyauth.contracts.ProviderFixtures;
import io.meshyauth.server.fixtures.ContractFixtures;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server's side of the pacts: replays every interaction of every consumer against the real server, started
 * afresh for each interaction over an empty store that the {@link State} methods fill. Runs as a failsafe IT.
 * Two consumers: the Java SDK ({@code MeshyClientPactTest} wrote target/pacts in the test phase) and the
 * consumers in other languages ({@link OtherConsumers}: the TypeScript client's pact, which the clients module
 * wrote earlier in the same build).
 */
@Provider(ProviderStates.PROVIDER)
@PactFolder("target/pacts")
@PactSource(MeshyServerPactIT.OtherConsumers.class)
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

  @State(ContractFixtures.SERVICE_CLIENT)
  void serviceClient() {
    provider.given(ContractFixtures.SERVICE_CLIENT);
  }

  /** Alice's access token is the server's: the introspection takes it from the state ({@code fromProviderState}). */
  @State(ContractFixtures.ACTIVE_USER_LOGGED_IN)
  Map<String, Object> activeUserLoggedIn() {
    return provider.given(ContractFixtures.ACTIVE_USER_LOGGED_IN);
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

  @State(ContractFixtures.SIGN_UP_OPEN)
  void signUpOpen() {
    provider.given(ContractFixtures.SIGN_UP_OPEN);
  }

  @State(ContractFixtures.QUESTION_USER)
  void questionUser() {
    provider.given(ContractFixtures.QUESTION_USER);
  }

  /** The hash is the server's: the interaction takes it from the state ({@code fromProviderState}). */
  @State(ContractFixtures.QUESTION_RESET_STARTED)
  Map<String, Object> questionResetStarted() {
    return provider.given(ContractFixtures.QUESTION_RESET_STARTED);
  }

  @State(ContractFixtures.QUESTION_USER_LOGGED_IN)
  Map<String, Object> questionUserLoggedIn() {
    return provider.given(ContractFixtures.QUESTION_USER_LOGGED_IN);
  }

  @State(ContractFixtures.UNVERIFIED_USER)
  void unverifiedUser() {
    provider.given(ContractFixtures.UNVERIFIED_USER);
  }

  @State(ContractFixtures.ADMINISTRATION_ACCOUNT)
  void administrationAccount() {
    provider.given(ContractFixtures.ADMINISTRATION_ACCOUNT);
  }

  /** Tokens and role ids are the server's: the interactions take them from the states ({@code fromProviderState}). */
  @State(ContractFixtures.ADMINISTRATOR_SIGNED_IN)
  Map<String, Object> administratorSignedIn() {
    return provider.given(ContractFixtures.ADMINISTRATOR_SIGNED_IN);
  }

  @State(ContractFixtures.PLAIN_USER_SIGNED_IN)
  Map<String, Object> plainUserSignedIn() {
    return provider.given(ContractFixtures.PLAIN_USER_SIGNED_IN);
  }

  @State(ContractFixtures.ROLE_WITH_PERMISSION)
  Map<String, Object> roleWithPermission() {
    return provider.given(ContractFixtures.ROLE_WITH_PERMISSION);
  }

  @State(ContractFixtures.CHANGEABLE_ROLE)
  Map<String, Object> changeableRole() {
    return provider.given(ContractFixtures.CHANGEABLE_ROLE);
  }

  @State(ContractFixtures.DELETABLE_USER)
  void deletableUser() {
    provider.given(ContractFixtures.DELETABLE_USER);
  }

  /**
   * Pacts of consumers in other languages: the folder or pact URL in the system property
   * {@code meshy.pacts.consumers} (e.g. {@code -Dmeshy.pacts.consumers=/path/to/pacts}), by default
   * ../clients/target/pacts, where the clients module's TypeScript consumer test writes its pact. That folder is
   * empty where Node.js is missing (the clients module then warns, or fails with MESHY_REQUIRE_NODE=1, as in CI).
   */
  public static final class OtherConsumers implements PactLoader {
    static final String PROPERTY = "meshy.pacts.consumers";
    private final String location = System.getProperty(PROPERTY, "../clients/target/pacts");
    private final PactLoader loader = location.matches("(?i)(https?|file):.*")
        ? new PactUrlLoader(new String[] {location}, null)
        : new PactFolderLoader(new File(location));

    /** Pact JVM instantiates a loader named by {@code @PactSource} through this constructor. */
    public OtherConsumers(Class<?> testClass) {
    }

    @Override
    public List<Pact> load(String providerName) throws IOException {
      return loader.load(providerName);
    }

    @Override
    public au.com.dius.pact.core.model.PactSource getPactSource() {
      return loader.getPactSource();
    }

    @Override
    public String description() {
      return "other consumers: " + loader.description();
    }
  }
}
