package io.meshyauth.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mixed load for a long time against the jar on SQLite: 80% refreshes, the rest password logins, with anonymous
 * registrations and revocations among them. Not one request may fail, and the process's resident memory must
 * level off. Off unless {@code -Dsoak.duration=30m} (the {@code reliability} profile) or shorter is given.
 */
class SoakIT {
  private static final Pattern DURATION = Pattern.compile("(\\d+)([smh])");
  private static final int CLIENTS = 8;
  private static final String PASSWORD = "soak-password";

  @TempDir
  Path directory;

  @Test
  void mixedLoadRunsWithoutErrorsAndMemoryLevelsOff() throws Exception {
    var duration = duration(System.getProperty("soak.duration", "0s"));
    assumeTrue(!duration.isZero(), "the soak runs with -Dsoak.duration=2m, or -Preliability (30m)");
    var store = directory.resolve("soak.db");
    var environment = new HashMap<>(JarNode.cheapHashing());
    environment.put("MESHY_AUTH_STORE_PURGE_INTERVAL", "30s");
    environment.put("MESHY_AUTH_LIMITS_ANONYMOUS_REGISTRATIONS_PER_IP", "100000000");
    var url = "jdbc:sqlite:" + store;
    // short lifetimes, so that housekeeping has expired families to delete while the soak runs
    JarNode.cli(environment, null, "accounts", "create", "soak", "--client-id", "soak-client",
        "--anonymous-registration", "--requests-per-minute", "100000000", "--refresh-token-lifetime", "1m",
        "--refresh-token-absolute-lifetime", "3m", "--store", url);
    JarNode.cli(environment, PASSWORD, "users", "create", "soak", "alice", "--store", url);

    var requests = new LongAdder();
    var errors = new ConcurrentLinkedQueue<String>();
    var samples = Collections.synchronizedList(new ArrayList<long[]>());
    var window = duration.dividedBy(6);
    try (var node = JarNode.start(url, environment, List.of("-Xmx256m"))) {
      var started = System.nanoTime();
      var deadline = started + duration.toNanos();
      var sampler = Executors.newSingleThreadScheduledExecutor();
      sampler.scheduleAtFixedRate(() -> {
        try {
          samples.add(new long[] {System.nanoTime() - started, node.rssKib(), storeBytes(store)});
        } catch (IOException e) {
          errors.add("cannot sample: " + e);
        }
      }, 0, Math.max(1, window.toSeconds() / 30), TimeUnit.SECONDS);
      var clients = Executors.newFixedThreadPool(CLIENTS);
      var registered = new AtomicLong();
      for (int c = 0; c < CLIENTS; c++) {
        var random = new Random(c);
        clients.execute(() -> client(node, random, deadline, registered, requests, errors));
      }
      clients.shutdown();
      assertThat(clients.awaitTermination(duration.toSeconds() + 300, TimeUnit.SECONDS)).isTrue();
      sampler.shutdownNow();
    }

    var first = window(samples, 0, window.toNanos());
    var last = window(samples, duration.toNanos() - window.toNanos(), Long.MAX_VALUE);
    var report = String.format("soak %s: %d requests, %d errors %s; RSS first %s: %d..%d MiB, last %s: %d..%d MiB;"
            + " store (file and WAL) at the end of the first %s: %.1f MiB, at the end: %.1f MiB",
        duration, requests.sum(), errors.size(), errors.stream().limit(5).toList(), window,
        first[0] / 1024, first[1] / 1024, window, last[0] / 1024, last[1] / 1024, window,
        first[3] / 1048576.0, last[3] / 1048576.0);
    System.out.println(report);
    assertThat(errors).as(report).isEmpty();
    // levelled off: the last window's peak stays within a quarter above the first window's peak
    assertThat(last[1]).as(report).isLessThanOrEqualTo(first[1] + first[1] / 4);
  }

  private static void client(JarNode node, Random random, long deadline, AtomicLong registered, LongAdder requests,
      ConcurrentLinkedQueue<String> errors) {
    var http = new TokenHttp("soak", "soak-client");
    String token = null;
    long loggedIn = 0;
    while (System.nanoTime() < deadline && errors.size() < 20) {
      try {
        var dice = random.nextInt(100);
        TokenHttp.Answer answer;
        // a session ends after a minute, well within the 3 minutes its refresh tokens last
        if (token == null || dice >= 80 || System.nanoTime() - loggedIn > TimeUnit.MINUTES.toNanos(1)) {
          if (token != null && dice == 99) {
            expect(http.revoke(node.baseUrl(), token), 200, "revocation", errors);
            requests.increment();
          } else if (dice == 98) {
            expect(http.registerAnonymous(node.baseUrl(), "device-" + registered.incrementAndGet()), 201,
                "registration", errors);
            requests.increment();
          }
          answer = http.login(node.baseUrl(), "alice", PASSWORD);
          loggedIn = System.nanoTime();
        } else {
          answer = http.refresh(node.baseUrl(), token);
        }
        requests.increment();
        if (expect(answer, 200, "token", errors)) {
          token = answer.refreshToken();
        } else {
          token = null;
        }
      } catch (IOException e) {
        errors.add(e.toString());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static boolean expect(TokenHttp.Answer answer, int status, String what, ConcurrentLinkedQueue<String> errors) {
    if (answer.status() != status) {
      errors.add(what + ": " + answer.status() + " " + answer.body());
      return false;
    }
    return true;
  }

  /** Min RSS, max RSS (KiB), and store size (bytes) at the window's start and end. */
  private static long[] window(List<long[]> samples, long from, long to) {
    List<long[]> in;
    synchronized (samples) {
      in = samples.stream().filter(s -> s[0] >= from && s[0] <= to).toList();
    }
    assertThat(in).as("RSS samples in the window").isNotEmpty();
    var rss = in.stream().mapToLong(s -> s[1]).summaryStatistics();
    return new long[] {rss.getMin(), rss.getMax(), in.get(0)[2], in.get(in.size() - 1)[2]};
  }

  private static long storeBytes(Path store) throws IOException {
    var total = 0L;
    for (var file : List.of(store, Path.of(store + "-wal"))) {
      if (Files.exists(file)) {
        total += Files.size(file);
      }
    }
    return total;
  }

  private static Duration duration(String text) {
    var match = DURATION.matcher(text.strip());
    if (!match.matches()) {
      throw new IllegalArgumentException("soak.duration must be like 90s, 2m or 30m, was " + text);
    }
    var amount = Long.parseLong(match.group(1));
    return switch (match.group(2)) {
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }
}
