package io.meshyauth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshyauth.server.testing.Forms;
import io.meshyauth.server.testing.ProcessOutput;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/meshy-auth}, the README's way to start the server, as a distribution holds it (the script beside the
 * jar): the first start of a jar writes a class data sharing archive as it stops, and the next start maps it, with
 * nobody asking for either; the JVM gets the small-footprint flags, which {@code JAVA_OPTS} can override.
 */
class LauncherIT {
  private static final Path LAUNCHER = Path.of("..", "bin", "meshy-auth");
  private static final Path JAR = Path.of("target", "meshy-auth-server.jar");
  private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:[0-9]+)");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path directory;

  @BeforeAll
  static void onLinux() {
    // the launcher is a bash script, and the test reads the JVM's command line and mappings from /proc
    assumeTrue(Files.isDirectory(Path.of("/proc/self")), "Linux only");
  }

  @Test
  void theFirstStartWritesAnArchiveAsItStopsAndTheNextStartMapsIt() throws Exception {
    var distribution = distribution();
    try (var first = new Server(distribution, Map.of())) {
      assertThat(first.commandLine()).contains("-XX:+UseSerialGC")
          .anyMatch(option -> option.startsWith(Runtime.version().feature() >= 19
              ? "-XX:+AutoCreateSharedArchive" : "-XX:ArchiveClassesAtExit="));
      assertThat(first.logIn().statusCode()).isEqualTo(200);
    }
    var archives = archives(distribution);
    assertThat(archives).as("the archive the first start wrote").hasSize(1);
    assertThat(run(distribution, "--version")).as("an admin command keeps the server's archive").isZero();
    assertThat(archives(distribution)).isEqualTo(archives);

    try (var second = new Server(distribution, Map.of())) {
      assertThat(second.logIn().statusCode()).isEqualTo(200);
      assertThat(Files.readString(Path.of("/proc", Long.toString(second.process.pid()), "maps")))
          .as("the second JVM maps the archive").contains(archives.get(0).toRealPath().toString());
    }
  }

  @Test
  void javaOptsComeLastAndReplaceTheCollectorAndArchivesCanBeTurnedOff() throws Exception {
    var distribution = distribution();
    try (var server = new Server(distribution,
        Map.of("JAVA_OPTS", "-XX:+UseG1GC -Dmeshy.launcher.test=yes", "MESHY_AUTH_CDS", "off"))) {
      var options = server.commandLine();
      assertThat(options).containsSubsequence("-Xms16m", "-XX:+UseG1GC", "-Dmeshy.launcher.test=yes", "-jar")
          .doesNotContain("-XX:+UseSerialGC")
          .noneMatch(option -> option.contains("SharedArchive") || option.contains("ArchiveClassesAtExit"));
      assertThat(server.logIn().statusCode()).isEqualTo(200);
    }
    assertThat(archives(distribution)).isEmpty();
  }

  /**
   * What a start was cut down to (README, "Start and memory"): Jetty no longer starts the platform MBean server,
   * whose every MXBean (Flight Recorder's among them) cost about 0.1 s, and {@code serve} builds no admin command.
   */
  @Test
  void aStartToTheFirstTokenLoadsNeitherJmxNorTheAdminCommands() throws Exception {
    var classes = directory.resolve("classes.txt");
    try (var server = new Server(distribution(), Map.of("MESHY_AUTH_CDS", "off",
        "JAVA_OPTS", "-Xlog:class+load=info:file=" + classes))) {
      assertThat(server.logIn().statusCode()).isEqualTo(200);
    }
    var loaded = Files.readString(classes);
    assertThat(loaded).as("the log of loaded classes").contains("io.meshyauth.server.cli.ServeCommand ")
        // the admin commands' own subcommands: only picocli building those commands loads them
        .doesNotContain("com.sun.jmx.mbeanserver.JmxMBeanServer ", "io.meshyauth.server.cli.UsersCommand$Update ",
            "io.meshyauth.server.cli.UsersImportCommand ", "io.meshyauth.server.cli.AccountsCommand$Create ",
            "io.meshyauth.server.cli.KeysCommand$Rotate ");
  }

  /**
   * glibc keeps the native memory a start freed (the JIT compilers' arenas, mostly) until someone asks for it back:
   * the launcher has the JVM trim it every few seconds, where the JDK can (Java 22, and 17.0.9 and 21.0.1 on).
   */
  @Test
  void theJvmGivesFreedNativeMemoryBackEveryFewSeconds() throws Exception {
    var version = Runtime.version();
    assumeTrue(version.feature() >= 22 || version.feature() == 21 && version.update() >= 1
        || version.feature() == 17 && version.update() >= 9, "a JDK with periodic native trimming");
    var trims = directory.resolve("trims.txt");
    try (var server = new Server(distribution(), Map.of("JAVA_OPTS", "-Xlog:trimnative=info:file=" + trims))) {
      assertThat(server.commandLine()).contains("-XX:TrimNativeHeapInterval=5000");
      assertThat(server.logIn().statusCode()).isEqualTo(200);
    }
    assertThat(Files.readString(trims)).contains("Periodic native trim enabled (interval: 5000 ms)");
  }

  @Test
  void withoutAJarItSaysHowToBuildOne() throws Exception {
    var lonely = Files.createDirectories(directory.resolve("bin"));
    Files.copy(LAUNCHER, lonely.resolve("meshy-auth"));
    var process = new ProcessBuilder(lonely.resolve("meshy-auth").toString(), "--version")
        .redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(output).contains("no meshy-auth-server.jar", "./mvnw -B -q -pl server -am package -DskipTests");
  }

  @Test
  void anAdminCommandBeforeAnyServerWritesNoArchive() throws Exception {
    var distribution = distribution();
    assertThat(run(distribution, "--version")).isZero();
    assertThat(archives(distribution)).isEmpty();
  }

  private static int run(Path distribution, String... arguments) throws Exception {
    var command = new java.util.ArrayList<>(List.of(distribution.resolve("meshy-auth").toString()));
    command.addAll(List.of(arguments));
    var builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    var process = builder.start();
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
    return process.exitValue();
  }

  /** The launcher and a copy of the jar in a folder of their own, so that the archive lands there. */
  private Path distribution() throws Exception {
    var folder = Files.createDirectories(directory.resolve("meshy-auth"));
    Files.copy(LAUNCHER, folder.resolve("meshy-auth"));
    Files.copy(JAR, folder.resolve("meshy-auth-server.jar"));
    return folder;
  }

  private static List<Path> archives(Path distribution) throws Exception {
    try (Stream<Path> files = Files.list(distribution)) {
      return files.filter(file -> file.getFileName().toString().endsWith(".jsa")).toList();
    }
  }

  /** {@code meshy-auth serve --demo} on a fresh store of its own; stopped with SIGTERM, as an operator stops it. */
  private final class Server implements AutoCloseable {
    final Process process;
    final String baseUrl;

    Server(Path distribution, Map<String, String> environment) throws Exception {
      var builder = new ProcessBuilder(distribution.resolve("meshy-auth").toString(), "serve", "--demo",
          "--port", "0", "--store", "jdbc:sqlite:" + Files.createTempDirectory(directory, "store").resolve("db"))
          .redirectErrorStream(true);
      builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
      builder.environment().putAll(environment);
      process = builder.start();
      try {
        // the log is JSON lines, which escape slashes
        var line = ProcessOutput.of(process).await(text -> text.contains("listening on")).replace("\\/", "/");
        var matcher = LISTENING.matcher(line);
        assertThat(matcher.find()).as(line).isTrue();
        baseUrl = matcher.group(1);
      } catch (RuntimeException | Error | InterruptedException e) {
        // a server that never said where it listens is stopped here: no close() will
        process.destroyForcibly();
        throw e;
      }
    }

    /** The JVM's own command line: the launcher replaced itself with it. */
    List<String> commandLine() throws Exception {
      var raw = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
      return List.of(raw.split("\0"));
    }

    HttpResponse<String> logIn() throws Exception {
      return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/demo/connect/token"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(Forms.encode(Map.of("client_id", "demo-public-key",
              "grant_type", "password", "username", "demo", "password", "demo-password"))))
          .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
  }
}
