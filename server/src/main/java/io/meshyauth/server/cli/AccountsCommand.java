package io.meshyauth.server.cli;

import io.meshyauth.server.Provisioning;
import io.meshyauth.server.config.SettingKeys;
import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.NotFoundException;
import io.meshyauth.server.store.SignUpPolicy;
import io.meshyauth.server.store.SignUpPolicy.Verification;
import io.meshyauth.server.values.Scope;
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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "accounts",
    description = "Create and list accounts (the {accountName} of the API's paths) and their public clients.",
    subcommands = {AccountsCommand.Create.class, AccountsCommand.Update.class, AccountsCommand.ListAccounts.class,
        AccountsCommand.AddClient.class})
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

    @Mixin
    SignUpOptions signUp = new SignUpOptions();

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
          defaults.requestsPerMinute(), anonymousRegistration, signUp.applyTo(SignUpPolicy.DEFAULT)));
      var clients = sorted(account.clientIds());
      out.println("created account " + account.name() + " with " + (clients.size() == 1 ? "client " : "clients ")
          + String.join(", ", clients));
    }
  }

  @Command(name = "update", description = "Change how an account's users sign up and recover; what is not named "
      + "stays as it is.")
  static final class Update extends StoreCommand {
    @Parameters(paramLabel = "NAME", description = "The account.")
    String name;

    @Mixin
    SignUpOptions signUp = new SignUpOptions();

    @Override
    void run(Operator operator, PrintWriter out) {
      var accounts = operator.stores().accounts();
      var account = accounts.findAccount(name)
          .orElseThrow(() -> new NotFoundException("no account " + name));
      var policy = signUp.applyTo(account.signUp());
      accounts.updateSignUp(name, policy);
      out.println("updated account " + name + ": " + describe(policy));
    }
  }

  /** The sign-up and recovery options of {@code create} and {@code update}; those not given change nothing. */
  static final class SignUpOptions {
    @Option(names = "--public-registration", negatable = true,
        description = "Let anyone register a user with a password (users/register); off by default.")
    Boolean publicRegistration;

    @Option(names = "--verification", paramLabel = "METHOD",
        description = "How users verify their contact and recover a password: none (the default: no codes), "
            + "email, text or question.")
    String verification;

    @Option(names = "--min-password-length", paramLabel = "N",
        description = "The fewest characters a password may have wherever one is set (default: "
            + SignUpPolicy.DEFAULT_MIN_PASSWORD_LENGTH + ", as NIST SP 800-63B recommends); at most 128.")
    Integer minPasswordLength;

    @Option(names = "--hide-unknown-users", negatable = true,
        description = "forgotpassword answers an unknown username as a known one, and users/{username}/exists is "
            + "refused, so that usernames cannot be probed; off by default, as MeshyDB's documented API has it.")
    Boolean hideUnknownUsers;

    SignUpPolicy applyTo(SignUpPolicy policy) {
      var changed = policy;
      if (publicRegistration != null) {
        changed = changed.withPublicRegistration(publicRegistration);
      }
      if (verification != null) {
        try {
          changed = changed.withVerification(Verification.of(verification));
        } catch (IllegalArgumentException e) {
          throw CommandFailure.usage("--" + e.getMessage());
        }
      }
      if (minPasswordLength != null) {
        if (minPasswordLength < 1 || minPasswordLength > 128) {
          throw CommandFailure.usage("--min-password-length must be between 1 and 128, was " + minPasswordLength);
        }
        changed = changed.withMinPasswordLength(minPasswordLength);
      }
      if (hideUnknownUsers != null) {
        changed = changed.withHideUnknownUsers(hideUnknownUsers);
      }
      return changed;
    }
  }

  static String describe(SignUpPolicy policy) {
    return "public registration " + (policy.publicRegistration() ? "on" : "off") + ", verification "
        + policy.verification().key() + ", passwords of at least " + policy.minPasswordLength()
        + " characters, unknown users " + (policy.hideUnknownUsers() ? "hidden" : "answered as MeshyDB does");
  }

  @Command(name = "list", description = "List every account: its clients, scopes, token lifetimes, request limit, "
      + "whether anonymous and public registration are on, and how its users verify.")
  static final class ListAccounts extends StoreCommand {
    @Override
    void run(Operator operator, PrintWriter out) {
      var table = new Table("NAME", "CLIENTS", "SCOPES", "ACCESS-TOKEN", "REFRESH-TOKEN", "REFRESH-ABSOLUTE",
          "REQUESTS/MIN", "ANONYMOUS-REGISTRATION", "PUBLIC-REGISTRATION", "VERIFICATION", "MIN-PASSWORD",
          "HIDE-UNKNOWN");
      for (var account : operator.stores().accounts().listAccounts()) {
        table.row(account.name(), String.join(",", sorted(account.clientIds())),
            String.join(",", account.allowedScopes().values()), duration(account.accessTokenLifetime()),
            duration(account.refreshTokenLifetime()), duration(account.refreshTokenAbsoluteLifetime()),
            account.requestsPerMinute(), Table.yesNo(account.anonymousRegistration()),
            Table.yesNo(account.signUp().publicRegistration()), account.signUp().verification().key(),
            account.signUp().minPasswordLength(), Table.yesNo(account.signUp().hideUnknownUsers()));
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
