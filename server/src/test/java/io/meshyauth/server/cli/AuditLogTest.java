package io.meshyauth.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.nimbusds.jwt.SignedJWT;
import io.meshyauth.server.config.SettingKeys;
import io.meshyauth.server.events.AuditLog;
import io.meshyauth.server.testing.CapturedLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full session of an operator and a client, the admin commands and a real server on one store: each security
 * event leaves exactly one audit line, with its fields, and no secret the session handled.
 */
class AuditLogTest {
  private static final String ACCOUNT = "acme";
  private static final String CLIENT = "acme-key";
  private static final String PASSWORD = "correct horse battery staple";
  private static final String OPERATOR = System.getProperty("user.name");
  private static final String IP = "127.0.0.1";

  @TempDir
  Path directory;

  private CapturedLog captured;

  @BeforeEach
  void captureTheAuditLogger() {
    captured = CapturedLog.of(Level.INFO, AuditLog.LOGGER);
  }

  @AfterEach
  void release() {
    captured.close();
  }

  @Test
  void aFullSessionLeavesOneLinePerSecurityEventWithItsFieldsAndNoSecret() throws Exception {
    var cli = Cli.in(directory, Map.of(SettingKeys.FAILED_LOGINS_PER_USERNAME_AND_IP, "2",
        SettingKeys.REFRESH_GRACE_WINDOW, "0s"));
    var secrets = new ArrayList<>(List.of(PASSWORD, "wrong-guess-0", "wrong-guess-1", "wrong-guess-2"));
    String userId;
    String family;
    String kid;
    assertThat(cli.run("accounts", "create", ACCOUNT, "--client-id", CLIENT).exitCode()).isZero();
    assertThat(cli.runWithStdin(PASSWORD + "\n", "users", "create", ACCOUNT, "alice").exitCode()).isZero();
    try (var server = LoginServer.start(cli)) {
      var login = server.login(ACCOUNT, CLIENT, "alice", PASSWORD);
      assertThat(login.status()).isEqualTo(200);
      var claims = SignedJWT.parse(login.text("access_token")).getJWTClaimsSet();
      userId = claims.getSubject();
      family = claims.getStringClaim("sid");
      var refreshed = server.refresh(ACCOUNT, CLIENT, login.text("refresh_token"));
      assertThat(refreshed.status()).isEqualTo(200);
      assertThat(server.refresh(ACCOUNT, CLIENT, login.text("refresh_token")).status()).isEqualTo(400);
      secrets.addAll(List.of(login.text("access_token"), login.text("refresh_token"),
          refreshed.text("access_token"), refreshed.text("refresh_token")));

      assertThat(cli.run("users", "deactivate", ACCOUNT, "alice").exitCode()).isZero();
      assertThat(server.login(ACCOUNT, CLIENT, "alice", PASSWORD).status()).isEqualTo(400);
      assertThat(cli.run("users", "reactivate", ACCOUNT, "alice").exitCode()).isZero();
      for (int i = 0; i < 3; i++) {
        server.login(ACCOUNT, CLIENT, "alice", "wrong-guess-" + i);
      }
      var rotated = cli.run("keys", "rotate", ACCOUNT);
      var matcher = Pattern.compile("new key (\\S+)").matcher(rotated.out());
      assertThat(matcher.find()).as(rotated.out()).isTrue();
      kid = matcher.group(1);
    }
    assertThat(cli.run("users", "delete", ACCOUNT, "alice").exitCode()).isZero();
    assertThat(cli.run("users", "delete", ACCOUNT, "nobody").exitCode()).isEqualTo(1);
    assertThat(cli.run("users", "list", ACCOUNT).exitCode()).isZero();

    var alice = List.of("account", ACCOUNT, "username", "alice", "user_id", userId);
    assertThat(lines()).containsExactly(
        line("admin.command", "command", "accounts create", "name", ACCOUNT, "operator", OPERATOR, "outcome", "ok"),
        line("admin.command", "command", "users create", "account", ACCOUNT, "username", "alice",
            "operator", OPERATOR, "outcome", "ok"),
        line("login.succeeded", "account", ACCOUNT, "client", CLIENT, "username", "alice", "user_id", userId,
            "ip", IP),
        line("refresh_token.reused", "account", ACCOUNT, "client", CLIENT, "user_id", userId, "family", family,
            "ip", IP, "action", "family_revoked"),
        line("user.deactivated", alice.toArray()),
        command("users deactivate"),
        line("login.failed", "account", ACCOUNT, "client", CLIENT, "username", "alice", "ip", IP,
            "reason", "user_inactive"),
        line("user.reactivated", alice.toArray()),
        command("users reactivate"),
        line("login.failed", "account", ACCOUNT, "client", CLIENT, "username", "alice", "ip", IP,
            "reason", "invalid_credentials"),
        line("login.failed", "account", ACCOUNT, "client", CLIENT, "username", "alice", "ip", IP,
            "reason", "invalid_credentials"),
        line("budget.exhausted", "budget", "failed-logins-per-username-and-ip", "account", ACCOUNT,
            "username", "alice", "ip", IP),
        line("key.rotated", "account", ACCOUNT, "kid", kid, "trigger", "operator"),
        line("admin.command", "command", "keys rotate", "account", ACCOUNT, "operator", OPERATOR, "outcome", "ok"),
        line("user.deleted", alice.toArray()),
        command("users delete"),
        line("admin.command", "command", "users delete", "account", ACCOUNT, "username", "nobody",
            "operator", OPERATOR, "outcome", "failed", "reason", "not_found"),
        line("admin.command", "command", "users list", "account", ACCOUNT, "operator", OPERATOR, "outcome", "ok"));
    assertThat(captured.events()).extracting(ILoggingEvent::getLevel).filteredOn(Level.WARN::equals).hasSize(2);
    var everything = captured.events().stream().map(event -> event.getFormattedMessage() + event.getKeyValuePairs())
        .toList().toString();
    assertThat(secrets).isNotEmpty().allSatisfy(secret -> assertThat(everything).doesNotContain(secret));
  }

  /** A command on alice that succeeded. */
  private static String command(String name) {
    return line("admin.command", "command", name, "account", ACCOUNT, "username", "alice", "operator", OPERATOR,
        "outcome", "ok");
  }

  /** What an audit line says: its message, then its key-value pairs in order, {@code event} first. */
  private static String line(String event, Object... fields) {
    var line = new StringJoiner(" | ", event + ": ", "");
    line.add("event=" + event);
    for (int i = 0; i < fields.length; i += 2) {
      line.add(fields[i] + "=" + fields[i + 1]);
    }
    return line.toString();
  }

  private List<String> lines() {
    return captured.events().stream().map(event -> {
      var line = new StringJoiner(" | ", event.getFormattedMessage() + ": ", "");
      event.getKeyValuePairs().forEach(pair -> line.add(pair.key + "=" + pair.value));
      return line.toString();
    }).toList();
  }
}
