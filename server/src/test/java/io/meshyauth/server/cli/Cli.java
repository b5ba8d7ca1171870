package io.meshyauth.server.cli;

import io.meshyauth.server.config.SettingKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The jar's commands, run in-process as an operator types them, on a SQLite file of their own: a settings file
 * names the store and cheap hashing, and is passed with {@code --config} as an operator would.
 */
final class Cli {
  /** What a command printed and how it exited. */
  record Result(int exitCode, String out, String err) {
    String all() {
      return out + err;
    }
  }

  private final Path configFile;
  private final String storeUrl;

  private Cli(Path configFile, String storeUrl) {
    this.configFile = configFile;
    this.storeUrl = storeUrl;
  }

  static Cli in(Path directory) {
    return in(directory, Map.of());
  }

  /** With {@code settings} in the settings file besides the store and hashing. */
  static Cli in(Path directory, Map<String, String> settings) {
    var storeUrl = "jdbc:sqlite:" + directory.resolve("meshy-auth.db");
    var all = new LinkedHashMap<String, String>();
    all.put(SettingKeys.STORE_URL, storeUrl);
    all.put(SettingKeys.ARGON2_MEMORY_KIB, "1024");
    all.put(SettingKeys.ARGON2_ITERATIONS, "1");
    all.putAll(settings);
    var configFile = directory.resolve("meshy-auth.properties");
    try {
      Files.writeString(configFile, all.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining("\n", "", "\n")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Cli(configFile, storeUrl);
  }

  Path configFile() {
    return configFile;
  }

  String storeUrl() {
    return storeUrl;
  }

  /** The command with {@code --config} appended, stdin empty. */
  Result run(String... args) {
    return runWithStdin("", args);
  }

  /** The command with {@code --config} appended, {@code stdin} as what is piped in. */
  Result runWithStdin(String stdin, String... args) {
    return run(PasswordInput.firstLineOf(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))),
        withConfig(args));
  }

  /** The command with {@code --config} appended, passwords from {@code passwords}. */
  Result runWithPasswords(PasswordInput passwords, String... args) {
    return run(passwords, withConfig(args));
  }

  /** The command exactly as given. */
  static Result runAsIs(String... args) {
    return run(PasswordInput.firstLineOf(new ByteArrayInputStream(new byte[0])), args);
  }

  private static Result run(PasswordInput passwords, String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var exitCode = MeshyAuthCommand.commandLine(passwords)
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
    return new Result(exitCode, out.toString(), err.toString());
  }

  private String[] withConfig(String... args) {
    var all = new ArrayList<>(List.of(args));
    all.add("--config");
    all.add(configFile.toString());
    return all.toArray(String[]::new);
  }
}
