package io.meshyauth.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.meshyauth.server.ServerConfig;
import io.meshyauth.server.store.StoreOptions;
import io.meshyauth.server.testing.CapturedLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database's credentials come from settings (the environment, a file), never needing the URL; and the pool's. */
class StoreSettingsTest {
  private static final String POSTGRESQL = "jdbc:postgresql://db.internal/meshy";
  private static final String SECRET = "s3cret-from-the-vault";

  @TempDir
  Path dir;

  private ServerConfig config(Map<String, String> environment) {
    var all = new java.util.HashMap<>(environment);
    all.putIfAbsent("MESHY_AUTH_STORE_URL", POSTGRESQL);
    all.putIfAbsent("MESHY_AUTH_KEYS_ENCRYPTION_KEY_FILE", dir.resolve("meshy-auth.key").toString());
    return ServerConfig.from(Settings.load(Optional.empty(), all, Map.of()));
  }

  @Test
  void theUserAndPasswordComeFromTheEnvironment() {
    var options = config(Map.of("MESHY_AUTH_STORE_USER", "meshy", "MESHY_AUTH_STORE_PASSWORD", SECRET)).storeOptions();

    assertThat(options.user()).contains("meshy");
    assertThat(options.password()).contains(SECRET);
    assertThat(options.toString()).doesNotContain(SECRET);
  }

  @Test
  void withoutThemTheDefaultsApply() {
    var options = config(Map.of()).storeOptions();

    assertThat(options).isEqualTo(StoreOptions.defaults());
    assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(options.poolSize()).isEqualTo(10);
  }

  @Test
  void theTimeoutsAndThePoolSizeAreSettings() {
    var options = config(Map.of("MESHY_AUTH_STORE_CONNECT_TIMEOUT", "PT0.5S",
        "MESHY_AUTH_STORE_SOCKET_TIMEOUT", "0s", "MESHY_AUTH_STORE_POOL_SIZE", "25")).storeOptions();

    assertThat(options.connectTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(options.socketTimeout()).isZero();
    assertThat(options.poolSize()).isEqualTo(25);
    assertThatThrownBy(() -> config(Map.of("MESHY_AUTH_STORE_POOL_SIZE", "0")))
        .hasMessageStartingWith("setting store.pool-size (from environment variable MESHY_AUTH_STORE_POOL_SIZE) "
            + "must be between 1 and 1000");
    assertThatThrownBy(() -> config(Map.of("MESHY_AUTH_STORE_CONNECT_TIMEOUT", "PT0.1S")))
        .hasMessageStartingWith("setting store.connect-timeout");
  }

  @Test
  void thePasswordFileGivesItsFirstLine() throws IOException {
    var file = Files.writeString(dir.resolve("db-password"), SECRET + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    var warnings = warningsWhile(() -> assertThat(config(Map.of("MESHY_AUTH_STORE_PASSWORD_FILE", file.toString()))
        .storeOptions().password()).contains(SECRET));

    assertThat(warnings).isEmpty();
  }

  @Test
  void aPasswordFileOthersMayReadIsUsedWithAWarning() throws IOException {
    assumeTrue(Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class));
    var file = Files.writeString(dir.resolve("db-password"), SECRET + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    var warnings = warningsWhile(() -> assertThat(config(Map.of("MESHY_AUTH_STORE_PASSWORD_FILE", file.toString()))
        .storeOptions().password()).contains(SECRET));

    assertThat(warnings).singleElement().asString().contains(file.toString()).contains("other users may read it")
        .contains("chmod 600").doesNotContain(SECRET);
  }

  @Test
  void aMissingOrEmptyPasswordFileStopsTheStartNamingTheSetting() throws IOException {
    var missing = dir.resolve("missing");
    var empty = Files.writeString(dir.resolve("empty"), "\n");

    assertThatThrownBy(() -> config(Map.of("MESHY_AUTH_STORE_PASSWORD_FILE", missing.toString())))
        .isInstanceOf(SettingsException.class)
        .hasMessage("setting store.password-file (from environment variable MESHY_AUTH_STORE_PASSWORD_FILE) names no "
            + "readable file: " + missing);
    assertThatThrownBy(() -> config(Map.of("MESHY_AUTH_STORE_PASSWORD_FILE", empty.toString())))
        .isInstanceOf(SettingsException.class).hasMessageContaining("its first line is empty");
  }

  @Test
  void thePasswordIsGivenOnce() throws IOException {
    var file = Files.writeString(dir.resolve("db-password"), SECRET);

    assertThatThrownBy(() -> config(Map.of("MESHY_AUTH_STORE_PASSWORD", SECRET,
        "MESHY_AUTH_STORE_PASSWORD_FILE", file.toString())))
        .isInstanceOf(SettingsException.class).hasMessageContaining("give the password once")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
    assertThatThrownBy(() -> config(Map.of("MESHY_AUTH_STORE_PASSWORD", SECRET,
        "MESHY_AUTH_STORE_URL", POSTGRESQL + "?user=meshy&password=" + SECRET)))
        .isInstanceOf(SettingsException.class).hasMessageContaining("drop it from the URL")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
  }

  @Test
  void theEffectiveSettingsMaskThePasswordsAndShowThePasswordFile() throws IOException {
    var file = Files.writeString(dir.resolve("db-password"), SECRET);
    var settings = Settings.load(Optional.empty(), Map.of("MESHY_AUTH_STORE_URL", POSTGRESQL,
        "MESHY_AUTH_KEYS_ENCRYPTION_KEY_FILE", dir.resolve("k.key").toString(),
        "MESHY_AUTH_STORE_PASSWORD_FILE", file.toString()), Map.of());
    ServerConfig.from(settings);
    var withPassword = Settings.load(Optional.empty(), Map.of("MESHY_AUTH_STORE_URL", POSTGRESQL,
        "MESHY_AUTH_KEYS_ENCRYPTION_KEY_FILE", dir.resolve("k.key").toString(),
        "MESHY_AUTH_STORE_PASSWORD", SECRET), Map.of());
    ServerConfig.from(withPassword);

    assertThat(value(settings, "store.password-file")).isEqualTo(file.toString());
    assertThat(value(settings, "store.password")).isEqualTo("(not set)");
    assertThat(value(withPassword, "store.password")).isEqualTo("****");
    assertThat(withPassword.effective().toString()).doesNotContain(SECRET);
  }

  private static String value(Settings settings, String key) {
    return settings.effective().stream().filter(e -> e.key().equals(key)).findFirst().orElseThrow().value();
  }

  private static List<String> warningsWhile(Runnable action) {
    var log = CapturedLog.of(Level.ALL, "io.meshyauth");
    try (log) {
      action.run();
    }
    return log.events().stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .map(ILoggingEvent::getFormattedMessage).toList();
  }
}
