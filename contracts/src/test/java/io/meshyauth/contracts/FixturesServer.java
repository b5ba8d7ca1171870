package io.meshyauth.contracts;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * {@code java -jar meshy-auth-server.jar serve --fixtures --port 0} as a consumer's CI runs it: a process of its
 * own, its base URL read from the banner it prints on stderr.
 */
public final class FixturesServer implements AutoCloseable {
  private static final Pattern BANNER = Pattern.compile("FIXTURES MODE on (http://\\S+):");

  private final Process process;
  private final String baseUrl;

  private FixturesServer(Process process, String baseUrl) {
    this.process = process;
    this.baseUrl = baseUrl;
  }

  /** The server jar the build made; failsafe passes its path. */
  public static Path jar() {
    var jar = Path.of(System.getProperty("meshy.server.jar", "../server/target/meshy-auth-server.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no server jar at " + jar.toAbsolutePath() + ": run mvn verify");
    }
    return jar;
  }

  public static FixturesServer start() {
    var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process;
    try {
      process = new ProcessBuilder(java, "-jar", jar().toString(), "serve", "--fixtures", "--port", "0")
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // threads of its own: on two cores the common pool has a single worker, which anything else blocking in it
    // (a drain of an earlier server) would keep from ever reading this banner
    Executor reader = task -> {
      var thread = new Thread(task, "serve-fixtures-stderr");
      thread.setDaemon(true);
      thread.start();
    };
    var started = CompletableFuture.supplyAsync(() -> {
      // not closed here: once the banner is read, the drain below goes on reading it
      var err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
      var seen = new StringBuilder();
      try {
        for (String line = err.readLine(); line != null; line = err.readLine()) {
          var banner = BANNER.matcher(line);
          if (banner.find()) {
            // keep draining stderr, or the process blocks once the pipe is full
            reader.execute(() -> err.lines().forEach(ignored -> { }));
            return banner.group(1);
          }
          seen.append(line).append('\n');
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      throw new IllegalStateException("serve --fixtures ended without its banner:\n" + seen);
    }, reader);
    try {
      // bounded: a server that never comes up fails the test instead of hanging the build
      return new FixturesServer(process, started.get(60, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new IllegalStateException("serve --fixtures did not start", e);
    }
  }

  public String baseUrl() {
    return baseUrl;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
