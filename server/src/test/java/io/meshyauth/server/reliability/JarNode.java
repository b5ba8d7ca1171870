package io.meshyauth.server.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One {@code serve} process of the runnable jar (a JVM of its own), as operators run it, and the jar's admin
 * commands. Every node of the reliability tests starts here, so a new required setting is added in one place.
 */
public final class JarNode implements AutoCloseable {
  static final Path JAR = Path.of("target", "meshy-auth-server.jar");
  private static final Pattern LISTENING = Pattern.compile("listening on (http://[0-9.]+:[0-9]+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final String baseUrl;
  private final List<String> output;

  private JarNode(Process process, String baseUrl, List<String> output) {
    this.process = process;
    this.baseUrl = baseUrl;
    this.output = output;
  }

  /**
   * Starts {@code serve} on {@code store} on a free port, its issuer that port's address, and waits until it listens.
   *
   * @param environment settings as {@code MESHY_AUTH_*} variables (the way containers configure it)
   */
  public static JarNode start(String store, Map<String, String> environment) {
    return start(store, environment, List.of());
  }

  /** As {@link #start(String, Map)}, with options for the JVM such as {@code -Xmx}. */
  static JarNode start(String store, Map<String, String> environment, List<String> jvmOptions) {
    return start(store, environment, jvmOptions, null);
  }

  /**
   * As {@link #start(String, Map)}, with {@code issuer} as its issuer base URL (the cluster's, shared by its
   * nodes), or its own address when null.
   */
  static JarNode start(String store, Map<String, String> environment, List<String> jvmOptions, String issuer) {
    return start(store, environment, jvmOptions, issuer, false);
  }

  /** As {@link #start(String, Map)}, keeping every line the node prints for {@link #output()}. */
  static JarNode startKeepingOutput(String store, Map<String, String> environment, String issuer) {
    return start(store, environment, List.of(), issuer, true);
  }

  private static JarNode start(String store, Map<String, String> environment, List<String> jvmOptions, String issuer,
      boolean keepOutput) {
    var port = freePort();
    var command = new ArrayList<String>();
    command.add(java());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", JAR.toString(), "serve", "--port", Integer.toString(port),
        "--issuer", issuer == null ? "http://127.0.0.1:" + port : issuer, "--store", store));
    var builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    var lines = Collections.synchronizedList(new ArrayList<String>());
    var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    var listening = new CompletableFuture<String>();
    // one reader for the process's life: a full pipe would block the server
    var drain = new Thread(() -> {
      try {
        for (String line; (line = reader.readLine()) != null; ) {
          if (keepOutput || !listening.isDone()) {
            lines.add(line);
            var message = line.startsWith("{") ? JSON.readTree(line).path("formattedMessage").asText() : line;
            var match = LISTENING.matcher(message);
            if (match.find()) {
              listening.complete(match.group(1));
            }
          }
        }
      } catch (IOException e) {
        // the process is gone
      }
      listening.complete(null);
    }, "jar-node-output");
    drain.setDaemon(true);
    drain.start();
    try {
      var url = listening.get(120, TimeUnit.SECONDS);
      if (url == null) {
        throw new IllegalStateException("the server exited before listening: " + lines);
      }
      return new JarNode(process, url, lines);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("the server did not start: " + lines, e);
    }
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** What the node printed: up to its listening line, or all of it when started keeping its output. */
  List<String> output() {
    synchronized (output) {
      return List.copyOf(output);
    }
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL on Linux: no shutdown hook, no draining, no closing of the store. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(60, TimeUnit.SECONDS);
  }

  /** Resident set size of the process in KiB, from /proc (Linux). */
  long rssKib() throws IOException {
    for (var line : java.nio.file.Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS for process " + process.pid());
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /** Runs an admin command of the jar to its end; {@code stdin} is its first input line (a password), or null. */
  public static String cli(Map<String, String> environment, String stdin, String... arguments) {
    var command = new ArrayList<>(List.of(java(), "-jar", JAR.toString()));
    command.addAll(List.of(arguments));
    var builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    try {
      var process = builder.start();
      try (var input = process.getOutputStream()) {
        if (stdin != null) {
          input.write((stdin + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
      var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("command " + List.of(arguments) + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A cheap Argon2 cost: these tests are about durability and sharing, not about hashing. */
  public static Map<String, String> cheapHashing() {
    return Map.of("MESHY_AUTH_ARGON2_MEMORY_KIB", "1024", "MESHY_AUTH_ARGON2_ITERATIONS", "1");
  }

  private static int freePort() {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
