package io.meshyauth.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A token endpoint under load: the login its clients make and, when it runs on this machine, its server process.
 * {@code username} may hold {n}, the client's user number from 1 to {@code users}; an empty scope is not sent.
 */
record Target(String name, URI url, String clientId, String username, int users, String password, String scope,
    Optional<ProcessStats> server) {

  /** The settings of bench/wrk/token.lua for one run. */
  Map<String, String> scriptEnv(LoadCommand.Scenario scenario, int refreshPercent, Optional<Path> tokens) {
    var env = new LinkedHashMap<String, String>();
    env.put("BENCH_SCENARIO", scenario.name());
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
