package io.meshyauth.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A token endpoint under load: the login its clients make, the confidential client its client_credentials grants
 * come from when it has one, and, when it runs on this machine, its server process. {@code username} may hold {n},
 * the client's user number from 1 to {@code users}; an empty scope is not sent.
 */
record Target(String name, URI url, String clientId, String username, int users, String password, String scope,
    Optional<Service> service, Optional<ProcessStats> server) {

  /**
   * A confidential client that asks for tokens of its own (RFC 6749 section 4.4), its secret sent in an
   * Authorization: Basic header; an empty scope is not sent (the client's own scopes).
   */
  record Service(String clientId, String secret, String scope) {
    @Override
    public String toString() {
      return "Service[clientId=" + clientId + ", scope=" + scope + "]";
    }
  }

  /** The settings of bench/wrk/token.lua for one run. */
  Map<String, String> scriptEnv(LoadCommand.Scenario scenario, int refreshPercent, Optional<Path> tokens) {
    var env = new LinkedHashMap<String, String>();
    env.put("BENCH_SCENARIO", scenario.name());
    if (scenario == LoadCommand.Scenario.client_credentials) {
      var client = service.orElseThrow(() -> new IllegalStateException(name + " has no confidential client"));
      env.put("BENCH_CLIENT_ID", client.clientId());
      env.put("BENCH_CLIENT_SECRET", client.secret());
      env.put("BENCH_CLIENT_AUTH", "basic");
      env.put("BENCH_SCOPE", client.scope());
      env.put("BENCH_TOKENS", "");
      return env;
    }
    env.put("BENCH_CLIENT_ID", clientId);
    env.put("BENCH_USERNAME", username);
    env.put("BENCH_USERS", Integer.toString(users));
    env.put("BENCH_PASSWORD", password);
    env.put("BENCH_SCOPE", scope);
    env.put("BENCH_REFRESH_PERCENT", Integer.toString(refreshPercent));
    env.put("BENCH_TOKENS", tokens.map(Path::toString).orElse(""));
    return env;
  }

  /** The login of the client that wrk's thread {@code thread} (from 1) plays, the same one token.lua sends. */
  Map<String, String> loginForm(int thread) {
    var form = new LinkedHashMap<String, String>();
    form.put("grant_type", "password");
    form.put("client_id", clientId);
    form.put("username", username.replace("{n}", Integer.toString((thread - 1) % users + 1)));
    form.put("password", password);
    if (!scope.isEmpty()) {
      form.put("scope", scope);
    }
    return form;
  }
}
