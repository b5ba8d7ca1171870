package io.meshyauth.server.cli;

import io.meshyauth.server.Provisioning;
import io.meshyauth.server.config.SettingKeys;
import io.meshyauth.server.values.Scope;
import io.meshyauth.server.store.Account;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "accounts",
    description = "Create and list accounts (the {accountName} of the API's paths) and their public clients.",
    subcommands = {AccountsCommand.Create.class, AccountsCommand.ListAccounts.class, AccountsCommand.AddClient.class})
final class AccountsCommand extends GroupCommand {

  @Command(name = "create", description = "Create an account with its public clients and its first signing key.")
  static final class Create extends StoreCommand {
    @Parameters(paramLabel = "NAME", description = "The account name, as in /NAME/connect/token.")
    String name;

    @Option(names = "--client-id", paramLabel = "ID", required = true,
        description = "A public client of the account (the SDKs' publicKey); repeat for several.")
    List<String> clientIds;

    @Option(names = "--scopes", paramLabel = "SCOPES",
        description = "The scopes the account allows, space-separated (default: \"${DEFAULT-VALUE}\").")
    String scopes = Provisioning.DEFAULT_SCOPES.toString();

    @Option(names = "--anonymous-registration", description = "Let anyone register anonymous users.")
    boolean anonymousRegistration;

    @Option(names = "--requests-per-minute", paramLabel = "N",
        description = "Requests the account may make a minute (default: setting "
            + SettingKeys.ACCOUNT_REQUESTS_PER_MINUTE + ").")
    Long requestsPerMinute;

    @Option(names = "--access-token-lifetime", paramLabel = "DURATION",
        description = "How long an access token lasts, e.g. 15m, 1h (default: setting "
            + SettingKeys.ACCESS_TOKEN_LIFETIME + ").")
    String accessTokenLifetime;

    @Option(names = "--refresh-token-lifetime", paramLabel = "DURATION",
        description = "How long a refresh token lasts unused, e.g. 30d (default: setting "
            + SettingKeys.REFRESH_TOKEN_LIFETIME + ").")
    String refreshTokenLifetime;

    @Option(names = "--refresh-token-absolute-lifetime", paramLabel = "DURATION",
        description = "How long a login's refresh tokens last however often they are used, e.g. 90d (default: "
            + "setting " + SettingKeys.REFRESH_TOKEN_ABSOLUTE_LIFETIME + ").")
    String refreshTokenAbsoluteLifetime;

    /** The options are settings of this one command: parsed, checked and reported as the settings are. */
    @Override
    Map<String, String> overrides() {
      var overrides = new LinkedHashMap<String, String>();
      Optional.ofNullable(requestsPerMinute)
          .ifPresent(value -> overrides.put(SettingKeys.ACCOUNT_REQUESTS_PER_MINUTE, value.toString()));
      Optional.ofNullable(accessTokenLifetime)
          .ifPresent(value -> overrides.put(SettingKeys.ACCESS_TOKEN_LIFETIME, value));
      Optional.ofNullable(refreshTokenLifetime)
          .ifPresent(value -> overrides.put(SettingKeys.REFRESH_TOKEN_LIFETIME, value));
      Optional.ofNullable(refreshTokenAbsoluteLifetime)
          .ifPresent(value -> overrides.put(SettingKeys.REFRESH_TOKEN_ABSOLUTE_LIFETIME, value));
      return overrides;
    }

    @Override
    void run(Operator operator, PrintWriter out) {
      var allowed = Scope.parse(scopes);
      if (allowed.isEmpty()) {
        throw CommandFailure.usage("--scopes must name at least one scope");
      }
      var defaults = operator.config().accountDefaults();
      if (defaults.refreshTokenAbsoluteLifetime().compareTo(defaults.refreshTokenLifetime()) < 0) {
        throw CommandFailure.usage("the refresh token absolute lifetime (" + duration(
            defaults.refreshTokenAbsoluteLifetime()) + ") must be at least the refresh token lifetime ("
            + duration(defaults.refreshTokenLifetime()) + ")");
      }
      var account = operator.provisioning().createAccount(new Account(name, Set.copyOf(clientIds), allowed,
          defaults.accessTokenLifetime(), defaults.refreshTokenLifetime(), defaults.refreshTokenAbsoluteLifetime(),
          defaults.requestsPerMinute(), anonymousRegistration));
      var clients = sorted(account.clientIds());
      out.println("created account " + account.name() + " with " + (clients.size() == 1 ? "client " : "clients ")
          + String.join(", ", clients));
    }
  }

  @Command(name = "list", description = "List every account: its clients, scopes, token lifetimes, request limit "
      + "and whether anonymous registration is on.")
  static final class ListAccounts extends StoreCommand {
    @Override
    void run(Operator operator, PrintWriter out) {
      var table = new Table("NAME", "CLIENTS", "SCOPES", "ACCESS-TOKEN", "REFRESH-TOKEN", "REFRESH-ABSOLUTE",
          "REQUESTS/MIN", "ANONYMOUS-REGISTRATION");
      for (var account : operator.stores().accounts().listAccounts()) {
        table.row(account.name(), String.join(",", sorted(account.clientIds())),
            String.join(",", account.allowedScopes().values()), duration(account.accessTokenLifetime()),
            duration(account.refreshTokenLifetime()), duration(account.refreshTokenAbsoluteLifetime()),
            account.requestsPerMinute(), Table.yesNo(account.anonymousRegistration()));
      }
      table.print(out);
    }
  }

  @Command(name = "add-client", description = "Add a public client to an account.")
  static final class AddClient extends StoreCommand {
    @Parameters(paramLabel = "NAME", description = "The account.")
    String name;

    @Option(names = "--client-id", paramLabel = "ID", required = true, description = "The new client.")
    String clientId;

    @Override
    void run(Operator operator, PrintWriter out) {
      operator.stores().accounts().addClient(name, clientId);
      out.println("added client " + clientId + " to account " + name);
    }
  }

  private static Set<String> sorted(Collection<String> values) {
    return new TreeSet<>(values);
  }

  /** In the unit an operator would write it in: 30d, 1h, 15m, 90s. */
  static String duration(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds % 3_600 == 0) {
      return seconds / 3_600 + "h";
    }
    if (seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }
}
