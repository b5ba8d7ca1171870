package io.meshyauth.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Starts a server process and times it from the start to its first successful token. The process outlives
 * this command; its id is printed for whoever stops it.
 */
@Command(name = "launch", mixinStandardHelpOptions = true,
    description = "Start COMMAND, poll the token endpoint until it grants a token, print pid and milliseconds.")
final class LaunchCommand implements Callable<Integer> {
  @Option(names = "--url", required = true, description = "The token endpoint.")
  URI url;

  @Option(names = "--form", required = true, paramLabel = "KEY=VALUE", description = "A login form parameter.")
  Map<String, String> form = new LinkedHashMap<>();

  @Option(names = "--log", required = true, description = "Where the server's stdout and stderr go.")
  Path log;

  @Option(names = "--timeout", description = "Seconds to wait for the first token (default ${DEFAULT-VALUE}).")
  int timeoutSeconds = 120;

  @Parameters(paramLabel = "COMMAND", description = "The server's command line, after --.")
  List<String> command;

  @Override
  public Integer call() throws Exception {
    var endpoint = new TokenEndpoint(url, Duration.ofSeconds(10));
    long start = System.nanoTime();
    var process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    String last = "no answer";
    while (process.isAlive() && System.nanoTime() < deadline) {
      try {
        var answer = endpoint.post(form);
        if (answer.ok()) {
          long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          System.out.println("pid=" + process.pid() + " start_to_first_token_ms=" + millis);
          return 0;
        }
        last = "status " + answer.status();
      } catch (IOException e) {
        last = e.toString();
      }
      TimeUnit.MILLISECONDS.sleep(10);
    }
    System.err.println("no token from " + url + " (" + last + "); alive=" + process.isAlive() + ", see " + log);
    process.destroy();
    return 1;
  }
}
