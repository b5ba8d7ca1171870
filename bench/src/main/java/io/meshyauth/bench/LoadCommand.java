package io.meshyauth.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Closed-loop load on token endpoints with wrk (bench/wrk/token.lua): one connection per wrk thread, each the
 * client of one user (or, for client_credentials, the one confidential client, on a connection of its own),
 * sending its next request as soon as the previous one is answered. With a second server
 * (--compare-url), every step runs against one server and then the other, alternating, so that both meet the
 * same machine. This JVM only starts wrk, logs clients in between runs and reads /proc: while a step is
 * measured it does nothing but sample the server's RSS ten times a second.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
    description = "Drive password, refresh, mixed or client_credentials token requests with wrk at several "
        + "concurrencies, against one server or two side by side, and report them.")
final class LoadCommand implements Callable<Integer> {
  enum Scenario {
    password, refresh, mix, client_credentials;

    /** Whether its clients start a measured run with refresh tokens of their own (logged in just before). */
    boolean refreshes() {
      return this == refresh || this == mix;
    }
  }

  @Spec
  CommandSpec spec;

  @Option(names = "--name", description = "What the report calls the server (default ${DEFAULT-VALUE}).")
  String name = "meshy-auth";

  @Option(names = "--url", required = true, description = "The token endpoint, e.g. http://127.0.0.1:8080/acme/connect/token.")
  URI url;

  @Option(names = "--client-id", required = true)
  String clientId;

  @Option(names = "--username", description = "The users' name; {n} becomes the client's user number, 1 to "
      + "--users (default ${DEFAULT-VALUE}).")
  String username = "user{n}";

  @Option(names = "--users", description = "How many users {n} cycles through (default ${DEFAULT-VALUE}).")
  int users = 1;

  @Option(names = "--password", required = true, description = "The users' password.")
  String password;

  @Option(names = "--scope", description = "The logins' scope (default ${DEFAULT-VALUE}, as MeshyDB's SDKs ask).")
  String scope = "meshy.api offline_access";

  @Option(names = "--service-client-id", description = "A confidential client allowed the client_credentials "
      + "grant, for that scenario.")
  Optional<String> serviceClientId = Optional.empty();

  @Option(names = "--service-client-secret", description = "Its secret, sent in an Authorization: Basic header.")
  Optional<String> serviceClientSecret = Optional.empty();

  @Option(names = "--service-scope", description = "The scope its client_credentials grants ask for; none when "
      + "empty, which means the client's own (default: empty).")
  String serviceScope = "";

  @Option(names = "--server-pid", description = "The server's process id, for its CPU time and memory (same machine).")
  Optional<Long> serverPid = Optional.empty();

  /** The other server of a side-by-side run. */
  static final class Compare {
    @Option(names = "--compare-url", required = true, description = "Another token endpoint, e.g. Keycloak's "
        + "http://127.0.0.1:8081/realms/R/protocol/openid-connect/token.")
    URI url;

    @Option(names = "--compare-client-id", required = true)
    String clientId;

    @Option(names = "--compare-user", required = true, description = "Its user; {n} as in --username.")
    String username;

    @Option(names = "--compare-users", description = "How many users {n} cycles through (default ${DEFAULT-VALUE}).")
    int users = 1;

    @Option(names = "--compare-password", required = true)
    String password;

    @Option(names = "--compare-scope", description = "Its logins' scope; none when empty (default: empty; "
        + "Keycloak gives ordinary refresh tokens without offline_access, and takes openid).")
    String scope = "";

    @Option(names = "--compare-name", description = "What the report calls it (default ${DEFAULT-VALUE}).")
    String name = "other";

    @Option(names = "--compare-pid", description = "Its process id, for its CPU time and memory (same machine).")
    Optional<Long> pid = Optional.empty();

    @Option(names = "--compare-service-client-id", description = "Its confidential client for client_credentials.")
    Optional<String> serviceClientId = Optional.empty();

    @Option(names = "--compare-service-client-secret", description = "That client's secret.")
    Optional<String> serviceClientSecret = Optional.empty();

    @Option(names = "--compare-service-scope", description = "The scope its client_credentials grants ask for; "
        + "none when empty (default: empty).")
    String serviceScope = "";
  }

  @ArgGroup(exclusive = false, heading = "%nA second server, measured step by step beside the first:%n")
  Compare compare;

  @Option(names = "--scenario", split = ",", description = "password, refresh, mix, client_credentials (the "
      + "latter needs --service-client-id and --service-client-secret; default ${DEFAULT-VALUE}).")
  List<Scenario> scenarios = List.of(Scenario.password, Scenario.refresh, Scenario.mix);

  @Option(names = "--refresh-percent", description = "Share of refreshes in the mix (default ${DEFAULT-VALUE}).")
  int refreshPercent = 80;

  @Option(names = "--concurrency", split = ",", description = "Clients per step (default ${DEFAULT-VALUE}).")
  List<Integer> concurrencies = List.of(1, 8, 32, 128);

  @Option(names = "--warmup", description = "Seconds of unmeasured load before each step (default ${DEFAULT-VALUE}).")
  int warmupSeconds = 5;

  @Option(names = "--jit-warmup", description = "Seconds of unmeasured load per server, shared by the scenarios, "
      + "before the first step, so that the server's JIT compiler has done its work (default ${DEFAULT-VALUE}).")
  int jitWarmupSeconds = 30;

  @Option(names = "--jit-warmup-concurrency", description = "Clients of that warm-up (default ${DEFAULT-VALUE}).")
  int jitWarmupConcurrency = 8;

  @Option(names = "--duration", description = "Measured seconds per step (default ${DEFAULT-VALUE}).")
  int durationSeconds = 20;

  @Option(names = "--timeout", description = "Seconds before wrk counts a request as timed out (default ${DEFAULT-VALUE}).")
  int timeoutSeconds = 60;

  @Option(names = "--wrk", description = "The wrk executable (default ${DEFAULT-VALUE}).")
  String wrkExecutable = "wrk";

  @Option(names = "--script", description = "The wrk script (default ${DEFAULT-VALUE}).")
  Path script = Path.of("bench/wrk/token.lua");

  @Option(names = "--wrk-dir", required = true, description = "Where each wrk run's output and figures go.")
  Path wrkDir;

  @Option(names = "--json", description = "Where to write the steps as JSON.")
  Optional<Path> json = Optional.empty();

  @Option(names = "--markdown", description = "Where to write the steps as Markdown.")
  Optional<Path> markdown = Optional.empty();

  @Override
  public Integer call() throws Exception {
    var targets = new ArrayList<Target>();
    targets.add(new Target(name, url, clientId, username, users, password, scope,
        service(serviceClientId, serviceClientSecret, serviceScope, "--service-client-id", "--service-client-secret"),
        serverPid.map(ProcessStats::new)));
    if (compare != null) {
      targets.add(new Target(compare.name, compare.url, compare.clientId, compare.username, compare.users,
          compare.password, compare.scope, service(compare.serviceClientId, compare.serviceClientSecret,
          compare.serviceScope, "--compare-service-client-id", "--compare-service-client-secret"),
          compare.pid.map(ProcessStats::new)));
    }
    if (scenarios.contains(Scenario.client_credentials)) {
      for (var target : targets) {
        if (target.service().isEmpty()) {
          throw new ParameterException(spec.commandLine(), "the client_credentials scenario needs a confidential "
              + "client of " + target.name() + ": " + (target.name().equals(name)
              ? "--service-client-id and --service-client-secret"
              : "--compare-service-client-id and --compare-service-client-secret"));
        }
      }
    }
    Files.createDirectories(wrkDir);
    var wrk = new Wrk(wrkExecutable, script, wrkDir, timeoutSeconds);
    warmUpTheJit(wrk, targets);
    var results = new ArrayList<StepResult>();
    for (var scenario : scenarios) {
      for (int concurrency : concurrencies) {
        for (var target : targets) {
          var result = runStep(wrk, target, scenario, concurrency);
          System.out.println(result.label() + ": " + result.markdownRow());
          results.add(result);
        }
      }
    }
    var report = StepResult.table(results);
    if (compare != null) {
      report += "\n" + StepResult.comparison(results, name, compare.name);
    }
    System.out.println();
    System.out.print(report);
    if (markdown.isPresent()) {
      Files.writeString(markdown.get(), report);
    }
    if (json.isPresent()) {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.get().toFile(), results);
    }
    var failed = results.stream().filter(result -> !result.errors().isEmpty()).toList();
    if (!failed.isEmpty()) {
      System.err.println("errors in " + failed.size() + " of " + results.size() + " steps (a 429 or 503 means a "
          + "limit or the hashing queue refused the load): " + failed.stream()
          .map(step -> step.label() + " " + step.errors()).collect(Collectors.joining("; ")));
      return 1;
    }
    return 0;
  }

  /** The confidential client of a target, when both its id and its secret are given. */
  private Optional<Target.Service> service(Optional<String> id, Optional<String> secret, String serviceScope,
      String idOption, String secretOption) {
    if (id.isPresent() != secret.isPresent()) {
      throw new ParameterException(spec.commandLine(), idOption + " and " + secretOption + " go together");
    }
    return id.map(clientId -> new Target.Service(clientId, secret.orElseThrow(), serviceScope));
  }

  /**
   * A server just started interprets, then compiles its hot code, and the compiler's work competes with the
   * requests for the cores for tens of seconds: the steps measure the server after it.
   */
  private void warmUpTheJit(Wrk wrk, List<Target> targets) throws IOException, InterruptedException {
    if (jitWarmupSeconds <= 0) {
      return;
    }
    System.err.printf("warming up the JIT compiler of %s: %d s of unmeasured load each%n",
        targets.stream().map(Target::name).collect(Collectors.joining(" and ")), jitWarmupSeconds);
    int perScenario = Math.max(1, jitWarmupSeconds / scenarios.size());
    for (var scenario : scenarios) {
      for (var target : targets) {
        unmeasured(wrk, target.name() + "-" + scenario + "-jit-warmup", target, scenario, jitWarmupConcurrency,
            perScenario);
      }
    }
  }

  private StepResult runStep(Wrk wrk, Target target, Scenario scenario, int concurrency)
      throws IOException, InterruptedException {
    String label = target.name() + "-" + scenario + "-c" + concurrency;
    if (warmupSeconds > 0) {
      unmeasured(wrk, label + "-warmup", target, scenario, concurrency, warmupSeconds);
    }
    // every client starts the measured run with a refresh token of its own: no login in a refresh step
    var tokens = scenario.refreshes() ? Optional.of(logIn(target, concurrency)) : Optional.<Path>empty();
    try {
      var server = target.server();
      double cpuBefore = server.map(ProcessStats::cpuSeconds).orElse(0.0);
      long[] peakRssKib = {0};
      var run = wrk.start(label, target, target.scriptEnv(scenario, refreshPercent, tokens), concurrency,
          durationSeconds).finish(() -> server.ifPresent(s -> peakRssKib[0] = Math.max(peakRssKib[0], s.rssKib())));
      double serverCpu = server.map(ProcessStats::cpuSeconds).orElse(0.0) - cpuBefore;
      drain(run);
      var summary = run.summary();
      long answers = summary.requests();
      var latency = summary.latencyMs();
      return new StepResult(target.name(), scenario.name(), concurrency, summary.seconds(), summary.ok(),
          summary.failures(), summary.ok() / summary.seconds(), latency.get("p50"), latency.get("p90"),
          latency.get("p99"), latency.get("max"),
          server.isPresent() && answers > 0 ? serverCpu * 1000 / answers : null,
          server.isPresent() ? peakRssKib[0] / 1024.0 : null,
          server.map(ProcessStats::peakRssKib).map(kib -> kib / 1024.0).orElse(null),
          answers > 0 ? run.cpuSeconds() * 1000 / answers : null);
    } finally {
      if (tokens.isPresent()) {
        Files.deleteIfExists(tokens.get());
      }
    }
  }

  private void unmeasured(Wrk wrk, String label, Target target, Scenario scenario, int concurrency, int seconds)
      throws IOException, InterruptedException {
    var run = wrk.start(label, target, target.scriptEnv(scenario, refreshPercent, Optional.empty()), concurrency,
        seconds).finish(() -> { });
    var failures = run.summary().failures();
    if (!failures.isEmpty()) {
      System.err.println("warning: unmeasured " + label + " had errors " + failures);
    }
    drain(run);
  }

  /**
   * wrk stops with a request in flight on every connection and the server finishes them for no one: wait about
   * as long as the slowest answer took, so that this work does not land in the next measured run.
   */
  private void drain(Wrk.Run run) throws InterruptedException {
    long millis = Math.round(run.summary().latencyMs().getOrDefault("max", 0.0)) + 100;
    TimeUnit.MILLISECONDS.sleep(Math.min(millis, TimeUnit.SECONDS.toMillis(timeoutSeconds)));
  }

  /**
   * Logs in the clients of wrk's threads 1 to {@code concurrency}, a few at a time, and writes their refresh
   * tokens one a line for token.lua, in a file only this user may read (Files.createTempFile's default).
   */
  private Path logIn(Target target, int concurrency) throws IOException, InterruptedException {
    var endpoint = new TokenEndpoint(target.url(), Duration.ofSeconds(timeoutSeconds));
    var pool = Executors.newFixedThreadPool(Math.min(concurrency, 2 * Runtime.getRuntime().availableProcessors()));
    try {
      var logins = new ArrayList<Future<TokenEndpoint.Answer>>();
      for (int thread = 1; thread <= concurrency; thread++) {
        var form = target.loginForm(thread);
        logins.add(pool.submit(() -> endpoint.post(form)));
      }
      var lines = new ArrayList<String>();
      for (var login : logins) {
        TokenEndpoint.Answer answer;
        try {
          answer = login.get();
        } catch (ExecutionException e) {
          throw new IOException("a login at " + target.url() + " failed: " + e.getCause(), e.getCause());
        }
        lines.add(answer.refreshToken().orElseThrow(() -> new IOException("a login at " + target.url()
            + " answered " + answer.status() + (answer.ok() ? " without a refresh token (scope?)" : ""))));
      }
      var file = Files.createTempFile("bench-tokens", ".txt");
      Files.write(file, lines);
      return file;
    } finally {
      pool.shutdownNow();
    }
  }
}
