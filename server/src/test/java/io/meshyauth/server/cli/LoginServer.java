package io.meshyauth.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshyauth.server.MeshyAuthServer;
import io.meshyauth.server.ServerConfig;
import io.meshyauth.server.config.Settings;
import io.meshyauth.server.store.Stores;
import io.meshyauth.server.store.jdbc.JdbcStores;
import io.meshyauth.server.testing.Forms;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** A real server on the store and settings of a {@link Cli}, to prove what the commands did by logging in. */
final class LoginServer implements AutoCloseable {
  /** A token endpoint's answer: its status and JSON body. */
  record Answer(int status, JsonNode json) {
    String text(String field) {
      return json.path(field).asText(null);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final MeshyAuthServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  private LoginServer(MeshyAuthServer server) {
    this.server = server;
  }

  static LoginServer start(Cli cli) {
    var config = ServerConfig.from(Settings.load(Optional.of(cli.configFile()), Map.of(), Map.of()))
        .withPort(0).withShutdownGrace(Duration.ZERO);
    return new LoginServer(MeshyAuthServer.start(config,
        JdbcStores.open(config.storeUrl(), config.storeOptions(), config.keyEncryptionKeyFile())));
  }

  /** The password grant as MeshyDB's SDKs send it (RFC 6749 section 4.3.2). */
  Answer login(String account, String clientId, String username, String password) {
    return post("/" + account + "/connect/token", Map.of("client_id", clientId, "grant_type", "password",
        "username", username, "password", password, "scope", "meshy.api offline_access"));
  }

  /** The refresh grant (RFC 6749 section 6). */
  Answer refresh(String account, String clientId, String refreshToken) {
    return post("/" + account + "/connect/token", Map.of("client_id", clientId, "grant_type", "refresh_token",
        "refresh_token", refreshToken));
  }

  /** Where it listens, e.g. {@code http://127.0.0.1:41234}. */
  String baseUrl() {
    return server.baseUrl();
  }

  /** The store the server runs on. */
  Stores stores() {
    return server.stores();
  }

  Answer get(String path) {
    return send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET().build());
  }

  private Answer post(String path, Map<String, String> form) {
    var body = Forms.encode(form);
    return send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private Answer send(HttpRequest request) {
    try {
      var response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), JSON.readTree(response.body()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
