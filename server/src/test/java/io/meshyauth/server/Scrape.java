package io.meshyauth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.function.Predicate;

/** One answer of {@code GET /metrics}, read as Prometheus reads its text format: a value per series. */
record Scrape(String contentType, String text, Map<String, Double> series, Set<String> families) {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  static Scrape of(String metricsUrl) {
    try {
      var answer = HTTP.send(HttpRequest.newBuilder(URI.create(metricsUrl)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      return parse(answer.headers().firstValue("Content-Type").orElse(""), answer.body());
    } catch (IOException e) {
      throw new AssertionError("scrape failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Scrapes until {@code until} holds: the request log records a request's latency once its answer is sent,
   * so a scrape right after an answer may not count that request yet.
   */
  static Scrape awaiting(String metricsUrl, Predicate<Scrape> until) {
    var deadline = System.nanoTime() + 30_000_000_000L;
    var scrape = of(metricsUrl);
    while (!until.test(scrape) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      scrape = of(metricsUrl);
    }
    return scrape;
  }

  static Scrape parse(String contentType, String text) {
    var series = new LinkedHashMap<String, Double>();
    var families = new TreeSet<String>();
    for (var line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        families.add(line.split(" ")[2]);
      } else if (!line.isBlank() && !line.startsWith("#")) {
        var space = line.lastIndexOf(' ');
        series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
    }
    return new Scrape(contentType, text, series, families);
  }

  /**
   * The value of the series with exactly these labels (name, value, name, value..., in the order the text format
   * writes them: by name, {@code le} last); 0 when it is absent.
   */
  double value(String name, String... labels) {
    return series.getOrDefault(key(name, labels), 0.0);
  }

  boolean has(String name, String... labels) {
    return series.containsKey(key(name, labels));
  }

  /** The sum over every series of that name, whatever their labels. */
  double total(String name) {
    return series.entrySet().stream()
        .filter(entry -> entry.getKey().equals(name) || entry.getKey().startsWith(name + "{"))
        .mapToDouble(Map.Entry::getValue).sum();
  }

  private static String key(String name, String... labels) {
    if (labels.length == 0) {
      return name;
    }
    var key = new StringJoiner(",", name + "{", "}");
    for (int i = 0; i < labels.length; i += 2) {
      key.add(labels[i] + "=\"" + labels[i + 1] + "\"");
    }
    return key.toString();
  }
}
