package io.meshyauth.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshyauth.server.config.SettingKeys;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountsCommandTest {
  @TempDir
  Path directory;

  private Cli cli() {
    return Cli.in(directory);
  }

  @Test
  void createdAccountIsListedWithItsClientScopesLifetimesLimitAndRegistration() {
    var cli = cli();

    var created = cli.run("accounts", "create", "acme", "--client-id", "acme-key");
    var listed = cli.run("accounts", "list");

    assertThat(created.exitCode()).isZero();
    assertThat(created.out()).isEqualTo("created account acme with client acme-key\n");
    assertThat(listed.exitCode()).isZero();
    assertThat(listed.out().lines()).hasSize(2);
    assertThat(listed.out().lines().skip(1).findFirst().orElseThrow().split(" +"))
        .containsExactly("acme", "acme-key", "meshy.api,offline_access,openid", "1h", "30d", "90d", "6000", "no", "no", "none", "8", "no");
  }

  @Test
  void optionsOfCreateOverrideTheDefaults() {
    var cli = cli();

    var created = cli.run("accounts", "create", "acme", "--client-id", "web", "--client-id", "mobile",
        "--anonymous-registration", "--requests-per-minute", "120", "--access-token-lifetime", "15m",
        "--refresh-token-lifetime", "7d", "--refresh-token-absolute-lifetime", "60d", "--scopes", "meshy.api openid");

    assertThat(created.exitCode()).isZero();
    assertThat(created.out()).isEqualTo("created account acme with clients mobile, web\n");
    assertThat(cli.run("accounts", "list").out().lines().skip(1).findFirst().orElseThrow().split(" +"))
        .containsExactly("acme", "mobile,web", "meshy.api,openid", "15m", "7d", "60d", "120", "yes", "no", "none", "8", "no");
  }

  @Test
  void defaultsOfCreateComeFromTheSettingsServeReads() {
    var cli = Cli.in(directory, Map.of(SettingKeys.ACCESS_TOKEN_LIFETIME, "2h",
        SettingKeys.ACCOUNT_REQUESTS_PER_MINUTE, "60"));

    cli.run("accounts", "create", "acme", "--client-id", "acme-key");

    assertThat(cli.run("accounts", "list").out().lines().skip(1).findFirst().orElseThrow().split(" +"))
        .containsExactly("acme", "acme-key", "meshy.api,offline_access,openid", "2h", "30d", "90d", "60", "no", "no", "none", "8", "no");
  }

  @Test
  void listOfAnEmptyStoreShowsOnlyTheHeader() {
    var listed = cli().run("accounts", "list");

    assertThat(listed.exitCode()).isZero();
    assertThat(listed.out().lines()).singleElement().asString().startsWith("NAME");
  }

  @Test
  void creatingAnAccountTwiceFailsWithExitOneAndSaysWhy() {
    var cli = cli();
    cli.run("accounts", "create", "acme", "--client-id", "acme-key");

    var again = cli.run("accounts", "create", "acme", "--client-id", "other-key");

    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).isEqualTo("meshy-auth: account acme exists\n");
    assertThat(again.out()).isEmpty();
    assertThat(cli.run("accounts", "list").out()).contains("acme-key").doesNotContain("other-key");
  }

  @Test
  void addedClientIsListedWithTheAccount() {
    var cli = cli();
    cli.run("accounts", "create", "acme", "--client-id", "acme-key");

    var added = cli.run("accounts", "add-client", "acme", "--client-id", "second-key");

    assertThat(added.exitCode()).isZero();
    assertThat(added.out()).isEqualTo("added client second-key to account acme\n");
    assertThat(cli.run("accounts", "list").out()).contains(" acme-key,second-key ");
  }

  @Test
  void signUpOptionsOfCreateAreListedAndUpdateChangesOnlyThoseItNames() {
    var cli = cli();
    cli.run("accounts", "create", "acme", "--client-id", "acme-key", "--public-registration", "--verification",
        "email", "--min-password-length", "12");

    var updated = cli.run("accounts", "update", "acme", "--verification", "question", "--hide-unknown-users");
    var again = cli.run("accounts", "update", "acme", "--no-public-registration");

    assertThat(updated.exitCode()).isZero();
    assertThat(updated.out()).isEqualTo("updated account acme: public registration on, verification question, "
        + "passwords of at least 12 characters, unknown users hidden\n");
    assertThat(again.exitCode()).isZero();
    assertThat(cli.run("accounts", "list").out().lines().skip(1).findFirst().orElseThrow().split(" +"))
        .endsWith("no", "no", "question", "12", "yes");
  }

  @Test
  void aVerificationMethodOrPasswordLengthOutOfRangeIsAUsageErrorAndChangesNothing() {
    var cli = cli();
    cli.run("accounts", "create", "acme", "--client-id", "acme-key");

    var method = cli.run("accounts", "update", "acme", "--verification", "pigeon");
    var length = cli.run("accounts", "update", "acme", "--min-password-length", "0");
    var unknown = cli.run("accounts", "update", "nobody", "--public-registration");

    assertThat(method.exitCode()).isEqualTo(2);
    assertThat(method.err()).isEqualTo("meshy-auth: --verification must be none, email, text or question, was "
        + "'pigeon'\n");
    assertThat(length.exitCode()).isEqualTo(2);
    assertThat(length.err()).isEqualTo("meshy-auth: --min-password-length must be between 1 and 128, was 0\n");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).isEqualTo("meshy-auth: no account nobody\n");
    assertThat(cli.run("accounts", "list").out().lines().skip(1).findFirst().orElseThrow().split(" +"))
        .endsWith("no", "no", "none", "8", "no");
  }

  @Test
  void addingAClientToAnUnknownAccountFailsWithExitOne() {
    var added = cli().run("accounts", "add-client", "nobody", "--client-id", "key");

    assertThat(added.exitCode()).isEqualTo(1);
    assertThat(added.err()).isEqualTo("meshy-auth: no account nobody\n");
  }

  @Test
  void addingAClientTheAccountHasFailsWithExitOne() {
    var cli = cli();
    cli.run("accounts", "create", "acme", "--client-id", "acme-key");

    var added = cli.run("accounts", "add-client", "acme", "--client-id", "acme-key");

    assertThat(added.exitCode()).isEqualTo(1);
    assertThat(added.err()).isEqualTo("meshy-auth: account acme has client acme-key already\n");
  }

  @Test
  void badDurationIsAUsageErrorNamingTheSettingAndCreatesNothing() {
    var cli = cli();

    var created = cli.run("accounts", "create", "acme", "--client-id", "acme-key", "--access-token-lifetime", "soon");

    assertThat(created.exitCode()).isEqualTo(2);
    assertThat(created.err()).startsWith("meshy-auth: setting tokens.access-lifetime (from command line) must be a "
        + "duration").hasLineCount(1);
    assertThat(cli.run("accounts", "list").out()).doesNotContain("acme");
  }

  @Test
  void absoluteLifetimeShorterThanTheSlidingOneIsAUsageError() {
    var created = cli().run("accounts", "create", "acme", "--client-id", "acme-key", "--refresh-token-lifetime",
        "100d");

    assertThat(created.exitCode()).isEqualTo(2);
    assertThat(created.err()).isEqualTo("meshy-auth: the refresh token absolute lifetime (90d) must be at least the "
        + "refresh token lifetime (100d)\n");
  }

  @Test
  void emptyScopesAreAUsageError() {
    var created = cli().run("accounts", "create", "acme", "--client-id", "acme-key", "--scopes", " ");

    assertThat(created.exitCode()).isEqualTo(2);
    assertThat(created.err()).isEqualTo("meshy-auth: --scopes must name at least one scope\n");
  }

  @Test
  void createWithoutAClientIdIsAUsageError() {
    var created = cli().run("accounts", "create", "acme");

    assertThat(created.exitCode()).isEqualTo(2);
    assertThat(created.err()).contains("Missing required option: '--client-id=ID'");
  }

  @Test
  void badSettingInTheConfigFileIsAUsageErrorNamingIt() {
    var cli = Cli.in(directory, Map.of(SettingKeys.ARGON2_ITERATIONS, "0"));

    var listed = cli.run("accounts", "list");

    assertThat(listed.exitCode()).isEqualTo(2);
    assertThat(listed.err()).startsWith("meshy-auth: setting argon2.iterations (from " + cli.configFile() + ")")
        .hasLineCount(1);
  }

  @Test
  void storeUrlOptionOverridesTheSettings() {
    var cli = cli();
    var other = directory.resolve("other.db");

    cli.run("accounts", "create", "acme", "--client-id", "acme-key", "--store", "jdbc:sqlite:" + other);

    assertThat(cli.run("accounts", "list").out()).doesNotContain("acme");
    assertThat(cli.run("accounts", "list", "--store", "jdbc:sqlite:" + other).out()).contains("acme");
  }

  @Test
  void storeUrlThatIsNoJdbcUrlIsAUsageError() {
    var listed = cli().run("accounts", "list", "--store", "postgres://db/meshy");

    assertThat(listed.exitCode()).isEqualTo(2);
    assertThat(listed.err()).startsWith("meshy-auth: setting store.url (from command line) must be a jdbc:sqlite:")
        .hasLineCount(1);
  }

  @Test
  void storeThatCannotBeOpenedFailsWithExitOneInOneLine() {
    var listed = cli().run("accounts", "list", "--store", "jdbc:sqlite:" + directory.resolve("missing/dir/x.db"));

    assertThat(listed.exitCode()).isEqualTo(1);
    assertThat(listed.err()).startsWith("meshy-auth: cannot open the store").hasLineCount(1);
  }
}
