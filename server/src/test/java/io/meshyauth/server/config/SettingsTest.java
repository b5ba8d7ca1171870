package io.meshyauth.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshyauth.server.ServerConfig;
import io.meshyauth.server.logging.LogFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
  @TempDir
  Path dir;

  @Test
  void withoutAnySourceTheDefaultsApply() {
    assertThat(ServerConfig.from(Settings.load(Optional.empty(), Map.of(), Map.of())))
        .usingRecursiveComparison().ignoringFields("clock").isEqualTo(ServerConfig.defaults());
  }

  @Test
  void environmentOverridesTheFileAndTheCommandLineOverridesBoth() throws IOException {
    var file = write("server.port=9000\nserver.host=0.0.0.0\ntokens.access-lifetime=15m\n");

    var config = ServerConfig.from(Settings.load(Optional.of(file),
        Map.of("MESHY_AUTH_SERVER_PORT", "9100", "MESHY_AUTH_TOKENS_REFRESH_GRACE_WINDOW", "0s"),
        Map.of(SettingKeys.HOST, "127.0.0.2")));

    assertThat(config.port()).isEqualTo(9100);
    assertThat(config.host()).isEqualTo("127.0.0.2");
    assertThat(config.accountDefaults().accessTokenLifetime()).isEqualTo(Duration.ofMinutes(15));
    assertThat(config.refreshGraceWindow()).isZero();
  }

  @Test
  void badValueFailsNamingTheSettingAndItsSource() {
    assertThatThrownBy(() -> ServerConfig.from(Settings.load(Optional.empty(),
        Map.of("MESHY_AUTH_SERVER_PORT", "eighty"), Map.of())))
        .isInstanceOf(SettingsException.class)
        .hasMessage("setting server.port (from environment variable MESHY_AUTH_SERVER_PORT) must be a whole number, "
            + "was 'eighty'");
  }

  @Test
  void trustedProxiesAreAddressesOrCidrBlocks() {
    var config = ServerConfig.from(Settings.load(Optional.empty(),
        Map.of("MESHY_AUTH_SERVER_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.7,::1,fd00::/8"), Map.of()));

    assertThat(config.trustedProxies()).containsExactly("10.0.0.0/8", "192.0.2.7", "::1", "fd00::/8");
    assertThatThrownBy(() -> ServerConfig.from(Settings.load(Optional.empty(),
        Map.of("MESHY_AUTH_SERVER_TRUSTED_PROXIES", "10.0.0.0/8,proxy.example.com"), Map.of())))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("server.trusted-proxies").hasMessageContaining("'proxy.example.com'");
    assertThatThrownBy(() -> ServerConfig.from(Settings.load(Optional.empty(),
        Map.of("MESHY_AUTH_SERVER_TRUSTED_PROXIES", "10.0.0.0/33"), Map.of())))
        .isInstanceOf(SettingsException.class);
  }

  @Test
  void everyFailedLoginBudgetAndTheHashingQueueAreSettings() {
    var config = ServerConfig.from(Settings.load(Optional.empty(), Map.of(), Map.of(
        SettingKeys.FAILED_LOGINS_PER_USERNAME_AND_IP, "4", SettingKeys.FAILED_LOGINS_PER_USERNAME, "40",
        SettingKeys.FAILED_LOGINS_PER_IP, "400", SettingKeys.ARGON2_MAX_QUEUE, "7",
        SettingKeys.REGISTRATIONS_PER_IP, "3", SettingKeys.REGISTRATION_WINDOW, "2h")));

    var budgets = config.limits().failedLogins();
    assertThat(budgets.perUsernameAndIp()).isEqualTo(4);
    assertThat(budgets.perUsername()).isEqualTo(40);
    assertThat(budgets.perIp()).isEqualTo(400);
    assertThat(config.argon2().maxQueue()).isEqualTo(7);
    assertThat(config.limits().registrationsPerIp()).isEqualTo(3);
    assertThat(config.limits().registrationWindow()).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void outOfRangeValueFailsNamingTheRange() {
    assertThatThrownBy(() -> ServerConfig.from(Settings.load(Optional.empty(), Map.of(),
        Map.of(SettingKeys.PORT, "70000"))))
        .hasMessageContaining("server.port").hasMessageContaining("between 0 and 65535");
  }

  @Test
  void keyEncryptionKeyFileIsBesideTheSqliteFileUnlessSetAndMustBeSetForPostgresql() {
    assertThat(ServerConfig.from(Settings.load(Optional.empty(), Map.of(), Map.of())).keyEncryptionKeyFile()).isEmpty();
    assertThat(ServerConfig.from(Settings.load(Optional.empty(),
        Map.of("MESHY_AUTH_KEYS_ENCRYPTION_KEY_FILE", "/run/secrets/meshy-auth.key"), Map.of())).keyEncryptionKeyFile())
        .contains(Path.of("/run/secrets/meshy-auth.key"));

    assertThatThrownBy(() -> ServerConfig.from(Settings.load(Optional.empty(), Map.of(),
        Map.of(SettingKeys.STORE_URL, "jdbc:postgresql://db/auth"))))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("setting keys.encryption-key-file must be set when store.url is PostgreSQL");
    assertThat(ServerConfig.from(Settings.load(Optional.empty(), Map.of(), Map.of(SettingKeys.STORE_URL,
        "jdbc:postgresql://db/auth", SettingKeys.KEY_ENCRYPTION_KEY_FILE, "meshy-auth.key"))).keyEncryptionKeyFile())
        .contains(Path.of("meshy-auth.key"));
  }

  @Test
  void storeUrlMustBeAJdbcUrlOfASupportedDatabase() {
    assertThatThrownBy(() -> ServerConfig.from(Settings.load(Optional.empty(),
        Map.of("MESHY_AUTH_STORE_URL", "mysql://db/auth"), Map.of())))
        .isInstanceOf(SettingsException.class)
        .hasMessage("setting store.url (from environment variable MESHY_AUTH_STORE_URL) must be a jdbc:sqlite:FILE or "
            + "jdbc:postgresql://HOST/DATABASE URL, was 'mysql://db/auth'");
  }

  @Test
  void unknownKeyInTheFileFailsSoThatTyposAreNotSilentlyIgnored() throws IOException {
    var file = write("server.prot=9000\n");

    assertThatThrownBy(() -> Settings.load(Optional.of(file), Map.of(), Map.of()))
        .isInstanceOf(SettingsException.class).hasMessageContaining("server.prot").hasMessageContaining("not a setting");
  }

  @Test
  void durationsTakeUnitsOrIso8601() {
    assertThat(Settings.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Settings.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Settings.parseDuration("30d")).isEqualTo(Duration.ofDays(30));
    assertThat(Settings.parseDuration("PT90M")).isEqualTo(Duration.ofMinutes(90));
  }

  @Test
  void everySettingHasAnEnvironmentName() {
    assertThat(SettingKeys.ALL).allSatisfy(key ->
        assertThat(Settings.environmentName(key)).matches("MESHY_AUTH_[A-Z0-9_]+"));
  }

  @Test
  void readmeDocumentsEverySetting() throws IOException {
    var readme = Files.readString(Path.of("..", "README.md"));

    assertThat(SettingKeys.ALL).allSatisfy(key -> assertThat(readme).contains("| `" + key + "` |"));
  }

  @Test
  void theManagementPortIsUnsetByDefaultAndMustDifferFromTheApiPort() {
    assertThat(ServerConfig.from(Settings.load(Optional.empty(), Map.of(), Map.of())).http().managementPort())
        .isEmpty();
    assertThat(ServerConfig.from(Settings.load(Optional.empty(), Map.of("MESHY_AUTH_SERVER_MANAGEMENT_PORT", "9090"),
        Map.of())).http().managementPort()).hasValue(9090);
    assertThatThrownBy(() -> ServerConfig.from(Settings.load(Optional.empty(),
        Map.of("MESHY_AUTH_SERVER_MANAGEMENT_PORT", "8080"), Map.of())))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("setting server.management-port (from environment variable "
            + "MESHY_AUTH_SERVER_MANAGEMENT_PORT) must differ from server.port (8080)");
  }

  @Test
  void theLogFormatIsAutoTextOrJson() {
    assertThat(ServerConfig.from(Settings.load(Optional.empty(), Map.of(), Map.of())).logFormat())
        .isEqualTo(LogFormat.AUTO);
    assertThat(ServerConfig.from(Settings.load(Optional.empty(), Map.of(), Map.of(SettingKeys.LOG_FORMAT, "text")))
        .logFormat()).isEqualTo(LogFormat.TEXT);
    assertThatThrownBy(() -> ServerConfig.from(Settings.load(Optional.empty(), Map.of("MESHY_AUTH_LOG_FORMAT", "xml"),
        Map.of())))
        .isInstanceOf(SettingsException.class)
        .hasMessage("setting log.format (from environment variable MESHY_AUTH_LOG_FORMAT) must be auto, text or json, "
            + "was 'xml'");
  }

  private Path write(String text) throws IOException {
    return Files.writeString(dir.resolve("meshy-auth.properties"), text);
  }
}
