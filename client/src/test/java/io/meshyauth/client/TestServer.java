package io.meshyauth.client;

import io.meshyauth.server.MeshyAuthServer;
import io.meshyauth.server.Provisioning;
import io.meshyauth.server.ServerConfig;
import io.meshyauth.server.password.Argon2PasswordHasher.Argon2Parameters;
import io.meshyauth.server.store.Client;
import io.meshyauth.server.store.ClientSecret;
import io.meshyauth.server.store.SignUpPolicy;
import io.meshyauth.server.store.SignUpPolicy.Verification;
import io.meshyauth.server.store.Stores;
import io.meshyauth.server.store.jdbc.JdbcStores;
import io.meshyauth.server.token.RefreshTokens;
import io.meshyauth.server.values.Password;
import io.meshyauth.server.values.Scope;
import io.meshyauth.server.web.TlsIdentity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/** A real server on a free port with one account, one user and one anonymous device. */
final class TestServer implements AutoCloseable {
  static final String ACCOUNT = "acme";
  static final String PUBLIC_KEY = "acme-public-key";
  static final String USERNAME = "alice";
  static final String PASSWORD = "correct horse";
  static final String DEVICE = "device-1";

  private final MeshyAuthServer server;

  private TestServer(Stores stores) {
    this(stores, UnaryOperator.identity());
  }

  private TestServer(Stores stores, UnaryOperator<ServerConfig> configure) {
    // no grace window: a spent refresh token must fail at once for the rotation tests
    server = MeshyAuthServer.start(configure.apply(ServerConfig.defaults().withPort(0)
        .withArgon2(new Argon2Parameters(1024, 1, 1))
        .withRefreshGraceWindow(Duration.ZERO).withShutdownGrace(Duration.ZERO)), stores);
    provisioning().createAccount(ACCOUNT, PUBLIC_KEY);
    provisioning().createUser(ACCOUNT, USERNAME, Password.of(PASSWORD));
    provisioning().createAnonymousUser(ACCOUNT, DEVICE);
  }

  static TestServer start() {
    return new TestServer(JdbcStores.temporary());
  }

  static TestServer start(Stores stores) {
    return new TestServer(stores);
  }

  /** With the configuration changed, e.g. a courier channel. */
  static TestServer start(UnaryOperator<ServerConfig> configure) {
    return new TestServer(JdbcStores.temporary(), configure);
  }

  /** A new account that lets anyone register, verifying new users this way. */
  void signUpAccount(String account, String publicKey, Verification verification) {
    provisioning().createAccount(account, publicKey);
    server.stores().accounts().updateSignUp(account, new SignUpPolicy(true, verification,
        SignUpPolicy.DEFAULT_MIN_PASSWORD_LENGTH, false));
  }

  /**
   * A confidential client of account acme, allowed the client_credentials grant and scope meshy.api, holding this
   * secret: what {@code clients create acme ID --confidential --grant client_credentials --scope meshy.api} makes,
   * with a secret of the test's choosing.
   */
  void serviceClient(String clientId, String secret) {
    server.stores().accounts().createClient(new Client(ACCOUNT, clientId, true, Set.of("client_credentials"),
        Optional.of(Scope.parse("meshy.api")), List.of(new ClientSecret("test", RefreshTokens.hash(secret),
            Instant.now()))));
  }

  /** Over HTTPS with this certificate and key. */
  static TestServer startWithTls(TlsIdentity identity) {
    return new TestServer(JdbcStores.temporary(), config -> config.withHttp(
        new ServerConfig.Http(ServerConfig.Http.standard().requestTimeout(),
            ServerConfig.Http.standard().maxConnections(), Optional.of(identity))));
  }

  Provisioning provisioning() {
    return server.provisioning();
  }

  /** The server's own stores, e.g. its roles to bootstrap an administrator as an operator's CLI does. */
  Stores stores() {
    return server.stores();
  }

  String baseUrl() {
    return server.baseUrl();
  }

  MeshyClient.Builder client() {
    return client(ACCOUNT, PUBLIC_KEY);
  }

  MeshyClient.Builder client(String account, String publicKey) {
    return MeshyClient.builder(account, publicKey).baseUrl(server.baseUrl());
  }

  @Override
  public void close() {
    server.close();
  }
}
