package io.meshyauth.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs wrk with bench/wrk/token.lua and reads what the script's done() wrote, and what wrk cost: its user and
 * system CPU time from start to exit. A process's /proc entry is gone once it has been waited for, so wrk runs
 * under a shell that reads its own /proc/PID/stat after waiting for it (cutime and cstime, the CPU time of the
 * children it waited for).
 */
final class Wrk {
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** What token.lua's done() writes: wrk's summary and latency percentiles, the script's own counts. */
  record Summary(int threads, double seconds, long requests, Map<String, Long> errors, Map<String, Long> statuses,
      Map<String, Long> grants, Map<String, Double> latencyMs) {

    long ok() {
      return statuses.entrySet().stream().filter(e -> e.getKey().startsWith("2")).mapToLong(Map.Entry::getValue).sum();
    }

    /** Every answer that was not a 2xx, by status, and every socket error or timeout wrk counted, by kind. */
    Map<String, Long> failures() {
      var failures = new TreeMap<String, Long>();
      statuses.forEach((status, count) -> {
        if (!status.startsWith("2")) {
          failures.put(status, count);
        }
      });
      errors.forEach((kind, count) -> {
        if (count > 0) {
          failures.put(kind, count);
        }
      });
      return failures;
    }
  }

  /** One finished run: the summary and wrk's CPU seconds, start to exit. */
  record Run(Summary summary, double cpuSeconds) {
  }

  private final String executable;
  private final Path script;
  private final Path workDir;
  private final int timeoutSeconds;
  private int runs;

  Wrk(String executable, Path script, Path workDir, int timeoutSeconds) {
    this.executable = executable;
    this.script = script;
    this.workDir = workDir;
    this.timeoutSeconds = timeoutSeconds;
  }

  /**
   * Starts wrk: {@code concurrency} threads of one connection each, for {@code seconds}. {@code env} carries the
   * script's BENCH_* settings (see {@link Target#scriptEnv}). The caller waits with {@link Started#finish}, sampling whatever it likes meanwhile.
   */
  Started start(String label, Target target, Map<String, String> env, int concurrency, int seconds)
      throws IOException {
    String name = String.format("%03d-%s", ++runs, label);
    var json = workDir.resolve(name + ".json");
    var stat = workDir.resolve(name + ".stat");
    var command = List.of("/bin/sh", "-c",
        "\"$@\"; status=$?; cat /proc/$$/stat > \"$0\"; exit $status", stat.toString(),
        executable, "-t", Integer.toString(concurrency), "-c", Integer.toString(concurrency),
        "-d", seconds + "s", "--timeout", timeoutSeconds + "s", "-s", script.toString(), target.url().toString());
    var builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(workDir.resolve(name + ".txt").toFile());
    builder.environment().putAll(env);
    builder.environment().put("BENCH_JSON", json.toString());
    return new Started(builder.start(), name, json, stat);
  }

  /** A wrk run in progress. */
  final class Started {
    private final Process process;
    private final String name;
    private final Path json;
    private final Path stat;

    private Started(Process process, String name, Path json, Path stat) {
      this.process = process;
      this.name = name;
      this.json = json;
      this.stat = stat;
    }

    /** Waits for wrk to exit, calling {@code sample} about every 100 ms until then. */
    Run finish(Runnable sample) throws IOException, InterruptedException {
      while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
        sample.run();
      }
      if (process.exitValue() != 0 || !Files.exists(json)) {
        throw new IOException("wrk failed (exit " + process.exitValue() + "), see "
            + workDir.resolve(name + ".txt") + ":\n" + Files.readString(workDir.resolve(name + ".txt")));
      }
      var summary = JSON.readValue(json.toFile(), Summary.class);
      return new Run(summary, ProcessStats.waitedChildrenCpuSeconds(Files.readString(stat)));
    }
  }
}
