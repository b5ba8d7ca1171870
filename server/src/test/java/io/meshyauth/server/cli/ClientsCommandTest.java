package io.meshyauth.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.meshyauth.server.events.AuditLog;
import io.meshyauth.server.store.Client;
import io.meshyauth.server.store.ClientSecret;
import io.meshyauth.server.store.jdbc.JdbcStores;
import io.meshyauth.server.testing.CapturedLog;
import io.meshyauth.server.token.ClientSecrets;
import io.meshyauth.server.values.Scope;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

/** clients, clients secret: on a real store, each printed secret proven against what the store keeps. */
class ClientsCommandTest {
  private static final String ACCOUNT = "demo";
  private static final String PUBLIC_KEY = "demo-key";
  private static final String SERVICE = "billing";
  /** 256 bits, base64url without padding. */
  private static final String SECRET = "[A-Za-z0-9_-]{43}";

  @TempDir
  Path directory;

  private Cli cli;

  @BeforeEach
  void createAccount() {
    cli = Cli.in(directory);
    ok("accounts", "create", ACCOUNT, "--client-id", PUBLIC_KEY);
  }

  private Cli.Result ok(String... args) {
    var result = cli.run(args);
    assertThat(result.exitCode()).as(String.join(" ", args) + ": " + result.err()).isZero();
    return result;
  }

  /** The last line of what the command printed: the secret, alone. */
  private static String secretOf(Cli.Result result) {
    var lines = result.out().lines().toList();
    var secret = lines.get(lines.size() - 1);
    assertThat(secret).matches(SECRET);
    return secret;
  }

  /** The service, confidential with client_credentials and scope meshy.api; its secret. */
  private String createService() {
    return secretOf(ok("clients", "create", ACCOUNT, SERVICE, "--confidential", "--grant", "client_credentials",
        "--scope", "meshy.api"));
  }

  private Optional<Client> stored(String clientId) {
    try (var stores = JdbcStores.open(cli.storeUrl())) {
      return stores.accounts().findClient(ACCOUNT, clientId);
    }
  }

  private List<ClientSecret> storedSecrets() {
    return stored(SERVICE).orElseThrow().secrets();
  }

  /** The cells of each client's row of clients list: CLIENT-ID, TYPE, GRANTS, SCOPE, SECRETS, SECRET-IDS. */
  private List<String[]> listed() {
    var lines = ok("clients", "list", ACCOUNT).out().lines().toList();
    assertThat(lines.get(0).split(" +"))
        .containsExactly("CLIENT-ID", "TYPE", "GRANTS", "SCOPE", "SECRETS", "SECRET-IDS");
    var rows = new ArrayList<String[]>();
    for (var line : lines.subList(1, lines.size())) {
      rows.add(line.split(" +"));
    }
    return rows;
  }

  @Test
  void createWithoutConfidentialMakesAPublicClientAsAddClientDoes() {
    var created = ok("clients", "create", ACCOUNT, "web");

    assertThat(created.out()).isEqualTo("created public client web in account demo\n");
    assertThat(stored("web")).contains(Client.publicClient(ACCOUNT, "web"));
    assertThat(listed()).satisfiesExactly(
        key -> assertThat(key).containsExactly(PUBLIC_KEY, "public", "-", "-", "0", "-"),
        web -> assertThat(web).containsExactly("web", "public", "-", "-", "0", "-"));
  }

  @Test
  void createConfidentialPrintsTheClientThenItsSecretAloneOnTheLastLineWhoseHashIsWhatTheStoreHolds() {
    var created = ok("clients", "create", ACCOUNT, SERVICE, "--confidential", "--grant", "client_credentials",
        "--scope", "meshy.api");

    var secret = secretOf(created);
    var lines = created.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("created confidential client billing in account demo: grants "
        + "client_credentials; scope meshy.api");
    assertThat(lines.subList(0, lines.size() - 1)).noneMatch(line -> line.contains(secret));
    var client = stored(SERVICE).orElseThrow();
    assertThat(client.confidential()).isTrue();
    assertThat(client.grantTypes()).containsExactly("client_credentials");
    assertThat(client.scope()).contains(Scope.parse("meshy.api"));
    assertThat(client.secrets()).hasSize(1);
    assertThat(ClientSecrets.matches(secret, client.secrets())).isTrue();
    assertThat(ClientSecrets.matches(secret + "x", client.secrets())).isFalse();
    // the hash is never shown, by create or by list
    assertThat(created.out()).doesNotContain(client.secrets().get(0).hash());
    assertThat(ok("clients", "list", ACCOUNT).out()).doesNotContain(client.secrets().get(0).hash())
        .doesNotContain(secret);
  }

  @Test
  void aConfidentialClientWithoutScopeHasTheAccountsAndMayHaveSeveralGrants() {
    var created = ok("clients", "create", ACCOUNT, SERVICE, "--confidential", "--grant", "password",
        "--grant", "refresh_token");

    assertThat(created.out().lines().findFirst().orElseThrow()).isEqualTo("created confidential client billing in "
        + "account demo: grants password, refresh_token; scope the account's (meshy.api offline_access openid)");
    var client = stored(SERVICE).orElseThrow();
    assertThat(client.grantTypes()).containsExactlyInAnyOrder("password", "refresh_token");
    assertThat(client.scope()).isEmpty();
    var secret = client.secrets().get(0);
    assertThat(listed()).satisfiesExactly(
        billing -> assertThat(billing).containsExactly(SERVICE, "confidential", "password,refresh_token", "-", "1",
            secret.id() + "(" + Table.instant(secret.createdAt()) + ")"),
        key -> assertThat(key[0]).isEqualTo(PUBLIC_KEY));
  }

  @Test
  void aPasswordClientMayHaveOfflineAccessButAClientCredentialsOneMayNot() {
    ok("clients", "create", ACCOUNT, "app", "--confidential", "--grant", "password", "--scope", "meshy.api",
        "--scope", "offline_access");

    var refused = cli.run("clients", "create", ACCOUNT, SERVICE, "--confidential", "--grant", "client_credentials",
        "--grant", "password", "--scope", "meshy.api offline_access");

    assertThat(stored("app").orElseThrow().scope()).contains(Scope.parse("meshy.api offline_access"));
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).isEqualTo("meshy-auth: a client allowed client_credentials may not have scope "
        + "offline_access: that grant issues no refresh token (RFC 6749 section 4.4.3). Leave --scope "
        + "offline_access out\n");
    assertThat(refused.out()).isEmpty();
    assertThat(stored(SERVICE)).isEmpty();
  }

  @Test
  void createRefusesAConfidentialClientWithoutAGrantOrWithAnUnknownOneOrOptionsOfAPublicOne() {
    var noGrant = cli.run("clients", "create", ACCOUNT, SERVICE, "--confidential");
    var unknown = cli.run("clients", "create", ACCOUNT, SERVICE, "--confidential", "--grant", "implicit");
    var notConfidential = cli.run("clients", "create", ACCOUNT, SERVICE, "--grant", "client_credentials");

    assertThat(noGrant.exitCode()).isEqualTo(2);
    assertThat(noGrant.err()).isEqualTo("meshy-auth: a confidential client needs at least one --grant: one of "
        + "password, refresh_token, client_credentials\n");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).isEqualTo("meshy-auth: no grant type implicit: --grant is one of password, "
        + "refresh_token, client_credentials\n");
    assertThat(notConfidential.exitCode()).isEqualTo(2);
    assertThat(notConfidential.err()).isEqualTo("meshy-auth: --grant and --scope are for a confidential client: "
        + "add --confidential\n");
    assertThat(stored(SERVICE)).isEmpty();
  }

  @Test
  void createRefusesAScopeTheAccountDoesNotAllow() {
    var refused = cli.run("clients", "create", ACCOUNT, SERVICE, "--confidential", "--grant", "client_credentials",
        "--scope", "meshy.api", "--scope", "admin");

    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).isEqualTo("meshy-auth: account demo does not allow admin: a client's scopes are "
        + "within the account's (meshy.api, offline_access, openid)\n");
    assertThat(stored(SERVICE)).isEmpty();
  }

  @Test
  void createInAnUnknownAccountOrOfATakenIdFails() {
    createService();

    var noAccount = cli.run("clients", "create", "nobody", SERVICE, "--confidential", "--grant",
        "client_credentials");
    var taken = cli.run("clients", "create", ACCOUNT, SERVICE, "--confidential", "--grant", "client_credentials");
    var takenByPublic = cli.run("clients", "create", ACCOUNT, PUBLIC_KEY);

    assertThat(noAccount.exitCode()).isEqualTo(1);
    assertThat(noAccount.err()).isEqualTo("meshy-auth: no account nobody\n");
    assertThat(taken.exitCode()).isEqualTo(1);
    assertThat(taken.err()).isEqualTo("meshy-auth: account demo has client billing already\n");
    assertThat(taken.out()).isEmpty();
    assertThat(takenByPublic.exitCode()).isEqualTo(1);
    assertThat(storedSecrets()).hasSize(1);
  }

  @Test
  void aSecondSecretIsPrintedAloneOnTheLastLineAndBothWorkButAThirdIsRefused() {
    var first = createService();

    var added = ok("clients", "secret", "add", ACCOUNT, SERVICE);
    var second = secretOf(added);
    var third = cli.run("clients", "secret", "add", ACCOUNT, SERVICE);

    var secrets = storedSecrets();
    assertThat(secrets).hasSize(2);
    assertThat(first).isNotEqualTo(second);
    assertThat(ClientSecrets.matches(first, secrets)).isTrue();
    assertThat(ClientSecrets.matches(second, secrets)).isTrue();
    assertThat(ClientSecrets.matches(second, secrets.subList(1, 2))).as("the new one is the newer").isTrue();
    assertThat(added.out().lines().findFirst().orElseThrow()).startsWith("added secret " + secrets.get(1).id()
        + " (created ").contains("to client billing of account demo; secret " + secrets.get(0).id()
        + " (created ").endsWith("works too until clients secret remove demo billing --oldest");
    assertThat(third.exitCode()).isEqualTo(1);
    assertThat(third.err()).isEqualTo("meshy-auth: client billing of account demo holds 2 secrets already: remove "
        + "the oldest first (clients secret remove demo billing --oldest)\n");
    assertThat(third.out()).isEmpty();
    assertThat(storedSecrets()).isEqualTo(secrets);
  }

  @Test
  void removingTheOldestSecretSaysWhichWentAndLeavesOnlyTheNewerWorking() {
    var first = createService();
    var second = secretOf(ok("clients", "secret", "add", ACCOUNT, SERVICE));
    var oldest = storedSecrets().get(0);

    var removed = ok("clients", "secret", "remove", ACCOUNT, SERVICE, "--oldest");

    assertThat(removed.out()).isEqualTo("removed secret " + oldest.id() + " (created "
        + Table.instant(oldest.createdAt()) + ") from client billing of account demo\n");
    var secrets = storedSecrets();
    assertThat(ClientSecrets.matches(first, secrets)).isFalse();
    assertThat(ClientSecrets.matches(second, secrets)).isTrue();
    assertThat(listed().get(0)).containsSubsequence(SERVICE, "confidential", "client_credentials", "meshy.api", "1",
        secrets.get(0).id() + "(" + Table.instant(secrets.get(0).createdAt()) + ")");
  }

  @Test
  void theLastSecretIsKeptAndRemoveNeedsOldest() {
    var only = createService();

    var last = cli.run("clients", "secret", "remove", ACCOUNT, SERVICE, "--oldest");
    var unsaid = cli.run("clients", "secret", "remove", ACCOUNT, SERVICE);

    assertThat(last.exitCode()).isEqualTo(1);
    assertThat(last.err()).isEqualTo("meshy-auth: client billing of account demo holds one secret only, which it "
        + "keeps: add a new one first (clients secret add demo billing)\n");
    assertThat(unsaid.exitCode()).isEqualTo(2);
    assertThat(unsaid.err()).startsWith("meshy-auth: Missing required option: '--oldest'");
    assertThat(ClientSecrets.matches(only, storedSecrets())).isTrue();
  }

  @Test
  void secretsOfAPublicOrUnknownClientAreRefused() {
    var ofPublic = cli.run("clients", "secret", "add", ACCOUNT, PUBLIC_KEY);
    var removeOfPublic = cli.run("clients", "secret", "remove", ACCOUNT, PUBLIC_KEY, "--oldest");
    var unknown = cli.run("clients", "secret", "add", ACCOUNT, "nobody");
    var noAccount = cli.run("clients", "secret", "add", "nobody", SERVICE);

    assertThat(ofPublic.exitCode()).isEqualTo(1);
    assertThat(ofPublic.err()).isEqualTo("meshy-auth: client demo-key of account demo is public: it has no secrets "
        + "(clients create demo ID --confidential makes a client with one)\n");
    assertThat(ofPublic.out()).isEmpty();
    assertThat(removeOfPublic.exitCode()).isEqualTo(1);
    assertThat(removeOfPublic.err()).contains("is public");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).isEqualTo("meshy-auth: no client nobody in account demo (clients list demo lists its "
        + "clients)\n");
    assertThat(noAccount.exitCode()).isEqualTo(1);
    assertThat(noAccount.err()).isEqualTo("meshy-auth: no account nobody\n");
    assertThat(stored(PUBLIC_KEY)).contains(Client.publicClient(ACCOUNT, PUBLIC_KEY));
  }

  @Test
  void deleteRemovesTheClientAndAnUnknownOneFails() {
    createService();

    var deleted = ok("clients", "delete", ACCOUNT, SERVICE);
    var again = cli.run("clients", "delete", ACCOUNT, SERVICE);

    assertThat(deleted.out()).isEqualTo("deleted client billing from account demo, with its secrets and refresh "
        + "tokens\n");
    assertThat(stored(SERVICE)).isEmpty();
    assertThat(listed()).singleElement().satisfies(row -> assertThat(row[0]).isEqualTo(PUBLIC_KEY));
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).isEqualTo("meshy-auth: no client billing in account demo\n");
    assertThat(cli.run("clients", "delete", "nobody", SERVICE).err()).isEqualTo("meshy-auth: no account nobody\n");
  }

  @Test
  void listOfAnUnknownAccountFails() {
    var listed = cli.run("clients", "list", "nobody");

    assertThat(listed.exitCode()).isEqualTo(1);
    assertThat(listed.err()).isEqualTo("meshy-auth: no account nobody\n");
  }

  /** The audit line names the account and client; no log line, at any level, holds a secret. */
  @Test
  void noSecretIsLoggedOrAudited() {
    var secrets = new ArrayList<String>();
    List<ILoggingEvent> events;
    try (var captured = CapturedLog.of(Level.TRACE, Logger.ROOT_LOGGER_NAME, AuditLog.LOGGER)) {
      secrets.add(createService());
      secrets.add(secretOf(ok("clients", "secret", "add", ACCOUNT, SERVICE)));
      cli.run("clients", "secret", "add", ACCOUNT, SERVICE);
      ok("clients", "secret", "remove", ACCOUNT, SERVICE, "--oldest");
      events = captured.events();
    }

    var everything = events.stream().map(ClientsCommandTest::line).toList().toString();
    assertThat(everything).contains("clients create", "clients secret add", "clients secret remove", "client_id="
        + SERVICE, "reason=refused");
    assertThat(secrets).allSatisfy(secret -> assertThat(everything).doesNotContain(secret));
    assertThat(Set.copyOf(secrets)).hasSize(2);
  }

  private static String line(ILoggingEvent event) {
    var line = new StringJoiner(" | ", event.getFormattedMessage() + ": ", "");
    if (event.getKeyValuePairs() != null) {
      event.getKeyValuePairs().forEach(pair -> line.add(pair.key + "=" + pair.value));
    }
    return line.toString();
  }
}
