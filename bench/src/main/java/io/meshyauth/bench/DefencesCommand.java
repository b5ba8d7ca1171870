package io.meshyauth.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What the defences cost and what they hold under load: (1) the time of a wrong password for an unknown
 * username, a user with a password, an anonymous user and users with imported hashes, side by side (a timing
 * oracle shows as a gap);
 * (2) refreshes alone, then the same refreshes beside a login flood offered at ten times the rate the server
 * can hash, with the server's peak RSS.
 */
@Command(name = "defences", mixinStandardHelpOptions = true,
    description = "Timing of failed logins by kind of user, and refreshes under a login flood.")
final class DefencesCommand implements Callable<Integer> {
  @Option(names = "--url", required = true, description = "The token endpoint.")
  URI url;

  @Option(names = "--client-id", required = true)
  String clientId;

  @Option(names = "--user", required = true, description = "A user with a password.")
  String user;

  @Option(names = "--password", required = true, description = "That user's password.")
  String password;

  @Option(names = "--anonymous-user", required = true, description = "An anonymous user (no password hash).")
  String anonymousUser;

  @Option(names = "--imported-user", paramLabel = "FORMAT=USERNAME",
      description = "A user whose hash was imported (users import) and no login has replaced yet; repeatable.")
  Map<String, String> importedUsers = new LinkedHashMap<>();

  @Option(names = "--samples", description = "Wrong-password logins per kind of user (default ${DEFAULT-VALUE}).")
  int samples = 300;

  @Option(names = "--refreshers", description = "Clients refreshing in a loop (default ${DEFAULT-VALUE}).")
  int refreshers = 4;

  @Option(names = "--duration", description = "Measured seconds of each refresh step (default ${DEFAULT-VALUE}).")
  int duration = 15;

  @Option(names = "--flood-factor", description = "Logins offered per second, as a multiple of the measured "
      + "hashing capacity (default ${DEFAULT-VALUE}).")
  int floodFactor = 10;

  @Option(names = "--server-pid", description = "The server's pid, for its peak RSS.")
  Optional<Long> serverPid = Optional.empty();

  @Option(names = "--markdown", description = "Where to write the results as Markdown.")
  Optional<Path> markdown = Optional.empty();

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @Override
  public Integer call() throws Exception {
    var report = new StringBuilder("## Defences\n\n");
    timing(report);
    flood(report);
    System.out.println(report);
    if (markdown.isPresent()) {
      Files.writeString(markdown.get(), report.toString());
    }
    return 0;
  }

  /** Interleaved, one at a time, so that each latency is the server's work for that request alone. */
  private void timing(StringBuilder report) throws Exception {
    var kinds = new LinkedHashMap<String, String>();
    kinds.put("unknown username", "nobody-" + System.nanoTime());
    kinds.put("user with a password", user);
    kinds.put("anonymous user", anonymousUser);
    importedUsers.forEach((format, username) -> kinds.put("user with an imported " + format + " hash", username));
    var histograms = new LinkedHashMap<String, Histogram>();
    kinds.keySet().forEach(kind -> histograms.put(kind, new Histogram(3)));
    for (int warm = 0; warm < 20; warm++) {
      for (var username : kinds.values()) {
        send(loginForm(username, "wrong-" + warm));
      }
    }
    for (int i = 0; i < samples; i++) {
      for (var kind : kinds.entrySet()) {
        long start = System.nanoTime();
        var status = send(loginForm(kind.getValue(), "wrong-password-" + i));
        histograms.get(kind.getKey()).recordValue(System.nanoTime() - start);
        if (status != 400) {
          throw new IllegalStateException("a wrong password was answered " + status + ": lift the failed-login "
              + "budgets for the benchmark");
        }
      }
    }
    report.append("### A wrong password, by kind of user (").append(samples).append(" each, interleaved)\n\n")
        .append("| kind of user | median ms | p90 ms | p99 ms |\n|---|---|---|---|\n");
    histograms.forEach((kind, h) -> report.append("| ").append(kind).append(" | ").append(ms(h.getValueAtPercentile(50)))
        .append(" | ").append(ms(h.getValueAtPercentile(90))).append(" | ").append(ms(h.getValueAtPercentile(99)))
        .append(" |\n"));
    report.append('\n');
  }

  private void flood(StringBuilder report) throws Exception {
    var quiet = refreshStep(0);
    // the hashing capacity: logins per second with twice as many in flight as cores
    var capacity = closedLoopLogins(2 * Runtime.getRuntime().availableProcessors(), 5);
    var flooded = refreshStep(Math.max(1, Math.round(capacity * floodFactor)));
    report.append("### Refreshes beside a login flood\n\n")
        .append("Hashing capacity measured first: ").append(String.format("%.1f", capacity))
        .append(" logins/s; the flood offers ").append(floodFactor).append("x that, open loop, wrong passwords.\n\n")
        .append("| step | refreshes/s | refresh p50 ms | refresh p99 ms | refresh errors | logins offered/s | "
            + "login answers | server peak RSS MiB |\n|---|---|---|---|---|---|---|---|\n");
    for (var step : List.of(quiet, flooded)) {
      report.append("| ").append(step.offered == 0 ? "quiet" : "flood").append(" | ")
          .append(String.format("%.0f", step.refreshes / (double) duration)).append(" | ")
          .append(ms(step.latencies.getValueAtPercentile(50))).append(" | ")
          .append(ms(step.latencies.getValueAtPercentile(99))).append(" | ").append(step.errors).append(" | ")
          .append(step.offered).append(" | ").append(step.loginStatuses).append(" | ")
          .append(step.peakRssMib).append(" |\n");
    }
    report.append(String.format("%nUnder the flood: %.0f%% of the quiet refresh throughput.%n",
        100.0 * flooded.refreshes / Math.max(1, quiet.refreshes)));
  }

  private record Step(long offered, long refreshes, long errors, Histogram latencies, Map<Integer, Long> loginStatuses,
      long peakRssMib) {
  }

  private Step refreshStep(long loginsPerSecond) throws Exception {
    var running = new AtomicBoolean(true);
    var measuring = new AtomicBoolean(false);
    var refreshes = new AtomicLong();
    var errors = new AtomicLong();
    var latencies = new Histogram(3);
    var statuses = new ConcurrentHashMap<Integer, Long>();
    var threads = new ArrayList<Thread>();
    for (int i = 0; i < refreshers; i++) {
      threads.add(started(() -> refreshLoop(running, measuring, refreshes, errors, latencies)));
    }
    var flood = Executors.newSingleThreadScheduledExecutor();
    if (loginsPerSecond > 0) {
      long periodNanos = TimeUnit.SECONDS.toNanos(1) / loginsPerSecond;
      var sent = new AtomicLong();
      flood.scheduleAtFixedRate(() -> {
        var form = loginForm("flood-" + (sent.incrementAndGet() % 1000), "wrong");
        http.sendAsync(post(form), HttpResponse.BodyHandlers.discarding())
            .thenAccept(response -> {
              if (measuring.get()) {
                statuses.merge(response.statusCode(), 1L, Long::sum);
              }
            });
      }, 0, Math.max(1, periodNanos), TimeUnit.NANOSECONDS);
    }
    Thread.sleep(3_000);
    measuring.set(true);
    var peakRss = 0L;
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(duration);
    while (System.nanoTime() < end) {
      Thread.sleep(200);
      peakRss = Math.max(peakRss, serverPid.map(pid -> new ProcessStats(pid).rssKib()).orElse(0L));
    }
    measuring.set(false);
    running.set(false);
    flood.shutdownNow();
    for (var thread : threads) {
      thread.join();
    }
    Thread.sleep(2_000);
    return new Step(loginsPerSecond, refreshes.get(), errors.get(), latencies, new TreeMap<>(statuses),
        peakRss / 1024);
  }

  private void refreshLoop(AtomicBoolean running, AtomicBoolean measuring, AtomicLong refreshes, AtomicLong errors,
      Histogram latencies) {
    String token = null;
    while (running.get()) {
      try {
        if (token == null) {
          token = refreshTokenOf(http.send(post(loginForm(user, password)), HttpResponse.BodyHandlers.ofString()));
          continue;
        }
        var form = new LinkedHashMap<String, String>();
        form.put("grant_type", "refresh_token");
        form.put("client_id", clientId);
        form.put("refresh_token", token);
        long start = System.nanoTime();
        var response = http.send(post(form), HttpResponse.BodyHandlers.ofString());
        long took = System.nanoTime() - start;
        token = refreshTokenOf(response);
        if (measuring.get()) {
          if (token != null) {
            refreshes.incrementAndGet();
            synchronized (latencies) {
              latencies.recordValue(took);
            }
          } else {
            errors.incrementAndGet();
          }
        }
      } catch (Exception e) {
        token = null;
        if (measuring.get()) {
          errors.incrementAndGet();
        }
      }
    }
  }

  private double closedLoopLogins(int concurrency, int seconds) throws Exception {
    var done = new AtomicLong();
    var running = new AtomicBoolean(true);
    var threads = new ArrayList<Thread>();
    for (int i = 0; i < concurrency; i++) {
      int client = i;
      threads.add(started(() -> {
        while (running.get()) {
          try {
            if (send(loginForm("capacity-" + client, "wrong")) == 400) {
              done.incrementAndGet();
            }
          } catch (Exception e) {
            // counted as not done
          }
        }
      }));
    }
    Thread.sleep(1_000);
    long before = done.get();
    Thread.sleep(seconds * 1_000L);
    long after = done.get();
    running.set(false);
    for (var thread : threads) {
      thread.join();
    }
    return (after - before) / (double) seconds;
  }

  private static Thread started(Runnable work) {
    var thread = new Thread(work);
    thread.start();
    return thread;
  }

  private static String refreshTokenOf(HttpResponse<String> response) {
    if (response.statusCode() != 200) {
      return null;
    }
    var matcher = Pattern.compile("\"refresh_token\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
    return matcher.find() ? matcher.group(1) : null;
  }

  private Map<String, String> loginForm(String username, String secret) {
    var form = new LinkedHashMap<String, String>();
    form.put("grant_type", "password");
    form.put("client_id", clientId);
    form.put("username", username);
    form.put("password", secret);
    form.put("scope", "meshy.api offline_access");
    return form;
  }

  private int send(Map<String, String> form) throws Exception {
    return http.send(post(form), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private HttpRequest post(Map<String, String> form) {
    var body = form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private static String ms(long nanos) {
    return String.format("%.1f", nanos / 1e6);
  }
}
