package io.meshyauth.server;

import io.meshyauth.server.password.Argon2PasswordHasher.Argon2Parameters;
import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.Stores;
import io.meshyauth.server.values.Password;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/** A real server on a free port with one account, {@value #ACCOUNT}, and a fresh store. */
final class TestServer implements AutoCloseable {
  static final String ACCOUNT = "acme";
  static final String CLIENT_ID = "acme-public-key";
  static final String USERNAME = "alice";
  static final String PASSWORD = "correct horse battery staple";
  static final String TOKEN_PATH = "/" + ACCOUNT + "/connect/token";
  static final String REVOCATION_PATH = "/" + ACCOUNT + "/connect/revocation";
  /** Cheap hashing keeps tests fast; the cost parameters have no bearing on behaviour. */
  static final Argon2Parameters FAST_ARGON2 = new Argon2Parameters(1024, 1, 1);

  final MeshyAuthServer server;
  final SpecCheckedHttp http;

  private TestServer(MeshyAuthServer server) {
    this.server = server;
    this.http = new SpecCheckedHttp(server.baseUrl());
  }

  static TestServer start(StoreKind store) {
    return start(store, config -> config);
  }

  static TestServer start(StoreKind store, Clock clock) {
    return start(store, config -> config.withClock(clock));
  }

  /** Stopping does not wait for idle connections unless a test asks for a shutdown grace. */
  static TestServer start(StoreKind store, UnaryOperator<ServerConfig> configure) {
    return start(store.open(), configure);
  }

  /** On stores the test opened itself, e.g. on a database it then breaks. */
  static TestServer start(Stores stores, UnaryOperator<ServerConfig> configure) {
    var config = ServerConfig.defaults().withPort(0).withArgon2(FAST_ARGON2).withShutdownGrace(Duration.ZERO);
    var server = MeshyAuthServer.start(configure.apply(config), stores);
    server.provisioning().createAccount(ACCOUNT, CLIENT_ID);
    server.provisioning().createUser(ACCOUNT, USERNAME, Password.of(PASSWORD));
    return new TestServer(server);
  }

  Account createLimitedAccount(String name, String clientId, long requestsPerMinute) {
    return server.provisioning().createAccount(new Account(name, Set.of(clientId), Provisioning.DEFAULT_SCOPES,
        Duration.ofHours(1), Duration.ofDays(1), requestsPerMinute));
  }

  /** The form the MeshyDB SDKs post to log in, for {@link #USERNAME}. */
  static Map<String, String> passwordForm() {
    var form = new LinkedHashMap<String, String>();
    form.put("client_id", CLIENT_ID);
    form.put("grant_type", "password");
    form.put("username", USERNAME);
    form.put("password", PASSWORD);
    form.put("scope", "meshy.api offline_access");
    return form;
  }

  static Map<String, String> refreshForm(String refreshToken) {
    var form = new LinkedHashMap<String, String>();
    form.put("client_id", CLIENT_ID);
    form.put("grant_type", "refresh_token");
    form.put("refresh_token", refreshToken);
    return form;
  }

  static Map<String, String> with(Map<String, String> form, String key, String value) {
    var copy = new LinkedHashMap<>(form);
    copy.put(key, value);
    return copy;
  }

  static Map<String, String> without(Map<String, String> form, String key) {
    var copy = new LinkedHashMap<>(form);
    copy.remove(key);
    return copy;
  }

  SpecCheckedHttp.Answer login() {
    return http.postForm(TOKEN_PATH, passwordForm());
  }

  @Override
  public void close() {
    server.close();
  }
}
