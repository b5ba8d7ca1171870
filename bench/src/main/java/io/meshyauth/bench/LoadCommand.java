package io.meshyauth.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Closed-loop load on a token endpoint: each virtual client sends its next request as soon as the previous one
 * is answered. A request's latency runs from the moment the client was ready to send it (its intended start)
 * to the end of the answer, so no waiting is left out: with no think time and no schedule, the closed loop has
 * no omitted intervals to correct for, and its throughput is what the server sustains at that concurrency.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
    description = "Drive password, refresh or mixed token requests at several concurrencies and report them.")
final class LoadCommand implements Callable<Integer> {
  enum Scenario { password, refresh, mix }

  @Option(names = "--url", required = true, description = "The token endpoint, e.g. http://127.0.0.1:8080/acme/connect/token.")
  URI url;

  @Option(names = "--form", required = true, paramLabel = "KEY=VALUE",
      description = "A parameter of the login form (grant_type=password, client_id, username, password, scope); "
          + "{n} in a value becomes the virtual client's user number, 1 to --users.")
  Map<String, String> form = new LinkedHashMap<>();

  @Option(names = "--users", description = "How many users {n} cycles through (default ${DEFAULT-VALUE}).")
  int users = 1;

  @Option(names = "--scenario", split = ",", description = "password, refresh, mix (default ${DEFAULT-VALUE}).")
  List<Scenario> scenarios = List.of(Scenario.password, Scenario.refresh, Scenario.mix);

  @Option(names = "--refresh", description = "Only the refresh scenario (same as --scenario refresh).")
  boolean refreshOnly;

  @Option(names = "--refresh-percent", description = "Share of refreshes in the mix (default ${DEFAULT-VALUE}).")
  int refreshPercent = 80;

  @Option(names = "--concurrency", split = ",", description = "Virtual clients per step (default ${DEFAULT-VALUE}).")
  List<Integer> concurrencies = List.of(1, 8, 32, 128);

  @Option(names = "--warmup", description = "Seconds of each step that are not measured (default ${DEFAULT-VALUE}).")
  int warmupSeconds = 5;

  @Option(names = "--jit-warmup", description = "Seconds of unmeasured load, shared by the scenarios, before the "
      + "first step, so that the server's JIT compiler has done its work (default ${DEFAULT-VALUE}).")
  int jitWarmupSeconds = 30;

  @Option(names = "--jit-warmup-concurrency", description = "Virtual clients of that warm-up (default ${DEFAULT-VALUE}).")
  int jitWarmupConcurrency = 8;

  @Option(names = "--duration", description = "Measured seconds per step (default ${DEFAULT-VALUE}).")
  int durationSeconds = 20;

  @Option(names = "--timeout", description = "Seconds before a request counts as failed (default ${DEFAULT-VALUE}).")
  int timeoutSeconds = 60;

  @Option(names = "--server-pid", description = "The server's process id, for its CPU time and memory (same machine).")
  Optional<Long> serverPid = Optional.empty();

  @Option(names = "--json", description = "Where to write the steps as JSON.")
  Optional<Path> json = Optional.empty();

  @Option(names = "--markdown", description = "Where to write the steps as a Markdown table.")
  Optional<Path> markdown = Optional.empty();

  @Override
  public Integer call() throws Exception {
    var endpoint = new TokenEndpoint(url, Duration.ofSeconds(timeoutSeconds));
    var results = new ArrayList<StepResult>();
    var selected = refreshOnly ? List.of(Scenario.refresh) : scenarios;
    warmUpTheJit(endpoint, selected);
    for (var scenario : selected) {
      // the clients of a scenario keep their refresh token chains from one concurrency to the next
      var clients = new ArrayList<VirtualClient>();
      for (int concurrency : concurrencies) {
        while (clients.size() < concurrency) {
          clients.add(new VirtualClient(endpoint, loginForm(clients.size()), scenario, refreshPercent));
        }
        var result = runStep(scenario, clients.subList(0, concurrency));
        System.out.println(result.markdownRow());
        results.add(result);
      }
    }
    var table = StepResult.HEADER + String.join("\n", results.stream().map(StepResult::markdownRow).toList()) + "\n";
    System.out.println();
    System.out.print(table);
    if (markdown.isPresent()) {
      Files.writeString(markdown.get(), table);
    }
    if (json.isPresent()) {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.get().toFile(), results);
    }
    return 0;
  }

  /**
   * A server just started interprets, then compiles its hot code, and the compiler's work competes with the
   * requests for the cores for tens of seconds: the steps measure the server after it.
   */
  private void warmUpTheJit(TokenEndpoint endpoint, List<Scenario> selected) throws InterruptedException {
    if (jitWarmupSeconds <= 0) {
      return;
    }
    System.err.printf("warming up the server's JIT compiler: %d s of unmeasured load%n", jitWarmupSeconds);
    long perScenario = TimeUnit.SECONDS.toMillis(jitWarmupSeconds) / selected.size();
    for (var scenario : selected) {
      var step = new Step();
      var threads = new ArrayList<Thread>();
      for (int i = 0; i < jitWarmupConcurrency; i++) {
        var client = new VirtualClient(endpoint, loginForm(i), scenario, refreshPercent);
        threads.add(new Thread(() -> client.run(step)));
      }
      threads.forEach(Thread::start);
      TimeUnit.MILLISECONDS.sleep(perScenario);
      step.running = false;
      for (var thread : threads) {
        thread.join();
      }
    }
  }

  private Map<String, String> loginForm(int client) {
    var values = new LinkedHashMap<String, String>();
    String n = Integer.toString(client % users + 1);
    form.forEach((key, value) -> values.put(key, value.replace("{n}", n)));
    return values;
  }

  private StepResult runStep(Scenario scenario, List<VirtualClient> clients) throws InterruptedException {
    var step = new Step();
    var threads = clients.stream().map(client -> new Thread(() -> client.run(step))).toList();
    threads.forEach(Thread::start);
    TimeUnit.SECONDS.sleep(warmupSeconds);

    var server = serverPid.map(ProcessStats::new);
    var self = ProcessStats.self();
    double serverCpu = server.map(ProcessStats::cpuSeconds).orElse(0.0);
    double selfCpu = self.cpuSeconds();
    long start = System.nanoTime();
    step.measuring = true;
    long peakRss = 0;
    while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(durationSeconds)) {
      peakRss = Math.max(peakRss, server.map(ProcessStats::rssKib).orElse(0L));
      TimeUnit.MILLISECONDS.sleep(100);
    }
    step.measuring = false;
    double seconds = (System.nanoTime() - start) / 1e9;
    double serverCpuUsed = server.map(ProcessStats::cpuSeconds).orElse(0.0) - serverCpu;
    double selfCpuUsed = self.cpuSeconds() - selfCpu;
    step.running = false;
    for (var thread : threads) {
      thread.join();
    }

    var latencies = new Histogram(TimeUnit.SECONDS.toNanos(timeoutSeconds * 2L), 3);
    var errors = new TreeMap<String, Long>();
    long ok = 0;
    for (var client : clients) {
      latencies.add(client.latencies);
      ok += client.latencies.getTotalCount();
      client.errors.forEach((status, count) -> errors.merge(status, count, Long::sum));
      client.reset();
    }
    long all = ok + errors.values().stream().mapToLong(Long::longValue).sum();
    return new StepResult(scenario.name(), clients.size(), seconds, ok, errors, ok / seconds,
        millis(latencies.getValueAtPercentile(50)), millis(latencies.getValueAtPercentile(90)),
        millis(latencies.getValueAtPercentile(99)), millis(latencies.getMaxValue()),
        server.isPresent() && all > 0 ? serverCpuUsed * 1000 / all : null,
        server.isPresent() ? peakRss / 1024.0 : null,
        server.map(ProcessStats::peakRssKib).map(kib -> kib / 1024.0).orElse(null),
        all > 0 ? selfCpuUsed * 1000 / all : null);
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  /** Whether the step's virtual clients go on, and whether what they see now counts. */
  static final class Step {
    volatile boolean running = true;
    volatile boolean measuring;
  }

  /** One closed-loop client: its own login, its own refresh token chain, its own records. */
  static final class VirtualClient {
    private final TokenEndpoint endpoint;
    private final Map<String, String> loginForm;
    private final Scenario scenario;
    private final int refreshPercent;
    private Optional<String> refreshToken = Optional.empty();
    final Histogram latencies = new Histogram(3);
    final Map<String, Long> errors = new TreeMap<>();

    VirtualClient(TokenEndpoint endpoint, Map<String, String> loginForm, Scenario scenario, int refreshPercent) {
      this.endpoint = endpoint;
      this.loginForm = loginForm;
      this.scenario = scenario;
      this.refreshPercent = refreshPercent;
    }

    void run(Step step) {
      while (step.running) {
        boolean refresh = refreshToken.isPresent() && switch (scenario) {
          case password -> false;
          case refresh -> true;
          case mix -> ThreadLocalRandom.current().nextInt(100) < refreshPercent;
        };
        // a client that has no chain yet (or lost it) logs in first; in the refresh scenario that login
        // happens in the warm-up, and later counts only when the chain broke, which the errors show
        long intendedStart = System.nanoTime();
        String outcome;
        try {
          var answer = endpoint.post(refresh ? TokenEndpoint.refreshForm(loginForm, refreshToken.get()) : loginForm);
          // every refresh token is used once: the answer's successor replaces it, an error ends the chain
          refreshToken = answer.ok() ? answer.refreshToken() : Optional.empty();
          outcome = answer.ok() ? null : Integer.toString(answer.status());
        } catch (IOException e) {
          refreshToken = Optional.empty();
          outcome = e.getClass().getSimpleName();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        if (step.measuring && (scenario != Scenario.refresh || refresh || outcome != null)) {
          if (outcome == null) {
            latencies.recordValue(System.nanoTime() - intendedStart);
          } else {
            errors.merge(outcome, 1L, Long::sum);
          }
        }
      }
    }

    void reset() {
      latencies.reset();
      errors.clear();
    }
  }
}
