package io.meshyauth.contracts;

import io.meshyauth.server.MeshyAuthServer;
import io.meshyauth.server.ServerConfig;
import io.meshyauth.server.config.SettingKeys;
import io.meshyauth.server.config.Settings;
import io.meshyauth.server.fixtures.ContractFixtures;
import io.meshyauth.server.store.jdbc.JdbcStores;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The real server on a free port over a fresh store of its own, with the provider states of
 * {@link ContractFixtures}: the same data {@code serve --fixtures} starts with.
 */
public final class ProviderFixtures implements AutoCloseable {
  private final MeshyAuthServer server;
  private final ContractFixtures fixtures;

  private ProviderFixtures(MeshyAuthServer server) {
    this.server = server;
    this.fixtures = new ContractFixtures(server);
  }

  public static ProviderFixtures start() {
    var settings = new HashMap<>(ContractFixtures.settings());
    // stop at once rather than wait out the shutdown grace for the idle keep-alive connections the test
    // clients leave open (Jetty waits for them, ~1-2 s per server)
    settings.putAll(Map.of(SettingKeys.PORT, "0", SettingKeys.SHUTDOWN_GRACE, "0s"));
    // every code the fixed one, as in serve --fixtures
    return new ProviderFixtures(MeshyAuthServer.start(
        ServerConfig.from(Settings.load(Optional.empty(), Map.of(), settings))
            .withFixedVerificationCode(ContractFixtures.VERIFICATION_CODE), JdbcStores.temporary()));
  }

  public int port() {
    return server.port();
  }

  public String baseUrl() {
    return server.baseUrl();
  }

  /** Sets up the provider state of that name; answers the values it made (see {@link ContractFixtures#setUp}). */
  public Map<String, Object> given(String state) {
    return fixtures.setUp(state);
  }

  /** Every state at once: what the Spring Cloud Contract tests run against, whatever the contract. */
  public ProviderFixtures allStates() {
    fixtures.allStates();
    return this;
  }

  @Override
  public void close() {
    server.close();
  }
}
