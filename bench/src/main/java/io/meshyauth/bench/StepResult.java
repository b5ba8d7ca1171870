package io.meshyauth.bench;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** One scenario at one concurrency: what the clients saw and what it cost the server. */
record StepResult(String scenario, int concurrency, double seconds, long ok, Map<String, Long> errors,
    double requestsPerSecond, double p50Ms, double p90Ms, double p99Ms, double maxMs, Double serverCpuMsPerRequest,
    Double serverPeakRssMib, Double serverHighWaterRssMib, Double generatorCpuMsPerRequest) {

  static final String HEADER = """
      | scenario | c | req/s | p50 ms | p90 ms | p99 ms | max ms | ok | errors | server CPU ms/req | server peak RSS MiB | generator CPU ms/req |
      |---|---|---|---|---|---|---|---|---|---|---|---|
      """;

  String markdownRow() {
    var errorText = errors.isEmpty() ? "0"
        : errors.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "));
    // with no answer inside the window there is no latency to show, only that none came
    return String.format(Locale.ROOT, "| %s | %d | %.1f | %s | %s | %s | %s | %d | %s | %s | %s | %s |",
        scenario, concurrency, requestsPerSecond, latency(p50Ms), latency(p90Ms), latency(p99Ms), latency(maxMs), ok,
        errorText,
        format(serverCpuMsPerRequest, "%.2f"), format(serverPeakRssMib, "%.0f"),
        format(generatorCpuMsPerRequest, "%.2f"));
  }

  private String latency(double millis) {
    return ok == 0 ? "-" : String.format(Locale.ROOT, millis < 10 ? "%.2f" : "%.0f", millis);
  }

  private static String format(Double value, String pattern) {
    return value == null ? "-" : String.format(Locale.ROOT, pattern, value);
  }
}
