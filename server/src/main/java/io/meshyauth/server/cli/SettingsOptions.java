package io.meshyauth.server.cli;

import io.meshyauth.server.config.SettingKeys;
import io.meshyauth.server.config.Settings;
import io.meshyauth.server.store.Stores;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options every command reads its settings with, so that serve and the admin commands act on one store. */
final class SettingsOptions {
  @Option(names = "--config", paramLabel = "FILE",
      description = "Properties file with settings (see the README); environment variables MESHY_AUTH_* and the "
          + "command's options override it.")
  Path file;

  @Option(names = "--store", paramLabel = "JDBC_URL",
      description = "Where the data lives (" + SettingKeys.STORE_URL + ", default " + Stores.DEFAULT_JDBC_URL
          + "): jdbc:sqlite:FILE, or jdbc:postgresql://HOST/DB when several nodes share it.")
  String store;

  /** The file's settings under the environment's, under the options': {@code --store} and {@code overrides}. */
  Settings settings(Map<String, String> overrides) {
    var options = new LinkedHashMap<String, String>();
    Optional.ofNullable(store).ifPresent(value -> options.put(SettingKeys.STORE_URL, value));
    options.putAll(overrides);
    return Settings.load(Optional.ofNullable(file), System.getenv(), options);
  }
}
