package io.meshyauth.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One scenario at one concurrency against one server: what the clients saw, what it cost the server and what it
 * cost the load generator (wrk, start to exit). Errors are every answer that was not a 2xx, by status, and wrk's
 * socket errors and timeouts, by kind.
 */
record StepResult(String server, String scenario, int concurrency, double seconds, long ok, Map<String, Long> errors,
    double requestsPerSecond, double p50Ms, double p90Ms, double p99Ms, double maxMs, Double serverCpuMsPerRequest,
    Double serverPeakRssMib, Double serverHighWaterRssMib, Double generatorCpuMsPerRequest) {

  private static final String COLUMNS = "scenario | c | req/s | p50 ms | p90 ms | p99 ms | max ms | ok | errors | "
      + "server CPU ms/req | server peak RSS MiB | generator CPU ms/req |";

  /** The steps as a Markdown table; with more than one server, each row names its server first. */
  static String table(List<StepResult> steps) {
    boolean named = steps.stream().map(StepResult::server).distinct().count() > 1;
    var text = new StringBuilder(named ? "| server | " : "| ").append(COLUMNS).append('\n');
    text.append("|---".repeat((int) COLUMNS.chars().filter(c -> c == '|').count() + (named ? 1 : 0))).append("|\n");
    steps.forEach(step -> text.append(named ? "| " + step.server + " " : "").append(step.markdownRow()).append('\n'));
    return text.toString();
  }

  /**
   * Two servers side by side, step by step, with how many times {@code first} does better: its requests per second
   * divided by the other's, and the other's server CPU per request divided by its own.
   */
  static String comparison(List<StepResult> steps, String first, String other) {
    Function<StepResult, String> key = step -> step.scenario + " " + step.concurrency;
    var byKey = new LinkedHashMap<String, Map<String, StepResult>>();
    steps.forEach(step -> byKey.computeIfAbsent(key.apply(step), k -> new LinkedHashMap<>()).put(step.server, step));
    var text = new StringBuilder(String.format(
        "| scenario | c | %1$s req/s | %2$s req/s | req/s × | %1$s p99 ms | %2$s p99 ms | %1$s server CPU ms/req | "
            + "%2$s server CPU ms/req | CPU/req × | %1$s generator CPU ms/req | %2$s generator CPU ms/req |%n"
            + "|---|---|---|---|---|---|---|---|---|---|---|---|%n", first, other));
    for (var pair : byKey.values()) {
      var a = pair.get(first);
      var b = pair.get(other);
      if (a == null || b == null) {
        continue;
      }
      text.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %s | %s | %s | %s | %s | %s | %s | %s |%n",
          a.scenario, a.concurrency, a.requestsPerSecond, b.requestsPerSecond,
          ratio(a.requestsPerSecond, b.requestsPerSecond), a.latency(a.p99Ms), b.latency(b.p99Ms),
          format(a.serverCpuMsPerRequest, "%.2f"), format(b.serverCpuMsPerRequest, "%.2f"),
          a.serverCpuMsPerRequest == null || b.serverCpuMsPerRequest == null ? "-"
              : ratio(b.serverCpuMsPerRequest, a.serverCpuMsPerRequest),
          format(a.generatorCpuMsPerRequest, "%.3f"), format(b.generatorCpuMsPerRequest, "%.3f")));
    }
    return text.toString();
  }

  String markdownRow() {
    var errorText = errors.isEmpty() ? "0"
        : errors.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "));
    // with no answer inside the window there is no latency to show, only that none came
    return String.format(Locale.ROOT, "| %s | %d | %.1f | %s | %s | %s | %s | %d | %s | %s | %s | %s |",
        scenario, concurrency, requestsPerSecond, latency(p50Ms), latency(p90Ms), latency(p99Ms), latency(maxMs), ok,
        errorText,
        format(serverCpuMsPerRequest, "%.2f"), format(serverPeakRssMib, "%.0f"),
        format(generatorCpuMsPerRequest, "%.3f"));
  }

  String label() {
    return server + " " + scenario + " c=" + concurrency;
  }

  private String latency(double millis) {
    return ok == 0 ? "-" : String.format(Locale.ROOT, millis < 10 ? "%.2f" : "%.0f", millis);
  }

  private static String ratio(double numerator, double denominator) {
    return denominator == 0 ? "-" : String.format(Locale.ROOT, "%.2f", numerator / denominator);
  }

  private static String format(Double value, String pattern) {
    return value == null ? "-" : String.format(Locale.ROOT, pattern, value);
  }
}
