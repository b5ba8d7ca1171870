package io.meshyauth.server.cli;

import io.meshyauth.server.generated.model.TokenForm.GrantTypeEnum;
import io.meshyauth.server.store.Client;
import io.meshyauth.server.store.ClientSecret;
import io.meshyauth.server.store.ConflictException;
import io.meshyauth.server.store.NotFoundException;
import io.meshyauth.server.token.ClientSecrets;
import io.meshyauth.server.values.Scope;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "clients",
    description = {"Create, list and delete the clients of an account, and rotate a confidential client's secrets.",
        "A public client (the SDKs' publicKey) names itself by its client_id alone; a confidential client (a "
            + "service) authenticates with a secret, may use only the grants it was given, and holds at most "
            + Client.MAX_SECRETS + " secrets, so that one can be replaced with no downtime."},
    subcommands = {ClientsCommand.Create.class, ClientsCommand.ListClients.class, ClientsCommand.Delete.class,
        ClientsCommand.SecretCommand.class})
final class ClientsCommand extends GroupCommand {
  /** The grant types of the document, in its order. */
  private static final List<String> GRANT_TYPES = Arrays.stream(GrantTypeEnum.values()).map(GrantTypeEnum::getValue)
      .toList();

  /** The account and client id every command on one client takes. */
  static final class ClientParameters {
    @Parameters(index = "0", paramLabel = "ACCOUNT", description = "The account.")
    String account;

    @Parameters(index = "1", paramLabel = "CLIENT_ID", description = "The client's id (its client_id).")
    String clientId;
  }

  @Command(name = "create", description = {"Create a client. Without --confidential, a public client (as accounts "
      + "add-client makes).",
      "With --confidential, a client that authenticates with a secret (RFC 6749 section 2.3.1) and may use only "
          + "the grants given with --grant. The new secret is printed once, alone on the last line: store it now, "
          + "it cannot be shown again (the store keeps only its SHA-256)."})
  static final class Create extends StoreCommand {
    @Mixin
    ClientParameters client;

    @Option(names = "--confidential", description = "A client with a secret, limited to its grants and scope.")
    boolean confidential;

    @Option(names = "--grant", paramLabel = "GRANT",
        description = "A grant the confidential client may use: password, refresh_token or client_credentials "
            + "(the grant types of the document); repeat for several.")
    List<String> grants = List.of();

    @Option(names = "--scope", paramLabel = "SCOPE",
        description = "A scope the confidential client may ask for, within the account's; repeat for several. "
            + "Without it, the account's scopes.")
    List<String> scopes = List.of();

    @Override
    void run(Operator operator, PrintWriter out) {
      if (!confidential) {
        if (!grants.isEmpty() || !scopes.isEmpty()) {
          throw CommandFailure.usage("--grant and --scope are for a confidential client: add --confidential");
        }
        operator.stores().accounts().addClient(client.account, client.clientId);
        out.println("created public client " + client.clientId + " in account " + client.account);
        return;
      }
      var grantTypes = grantTypes(grants);
      var account = operator.provisioning().account(client.account);
      var scope = Scope.of(scopes.stream().flatMap(value -> Scope.parse(value).values().stream()).toList());
      if (!scopes.isEmpty() && scope.isEmpty()) {
        throw CommandFailure.usage("--scope must name a scope");
      }
      var outside = new TreeSet<>(scope.values());
      outside.removeAll(account.allowedScopes().values());
      if (!outside.isEmpty()) {
        throw CommandFailure.usage("account " + account.name() + " does not allow " + String.join(", ", outside)
            + ": a client's scopes are within the account's (" + String.join(", ", account.allowedScopes().values())
            + ")");
      }
      if (grantTypes.contains(GrantTypeEnum.CLIENT_CREDENTIALS.getValue()) && scope.allowsRefresh()) {
        // RFC 6749 section 4.4.3: a refresh token SHOULD NOT be included
        throw CommandFailure.usage("a client allowed " + GrantTypeEnum.CLIENT_CREDENTIALS.getValue() + " may not "
            + "have scope " + Scope.OFFLINE_ACCESS + ": that grant issues no refresh token (RFC 6749 section "
            + "4.4.3). Leave --scope " + Scope.OFFLINE_ACCESS + " out");
      }
      var secret = ClientSecrets.newSecret(operator.config().clock().instant());
      var created = new Client(account.name(), client.clientId, true, grantTypes,
          scope.isEmpty() ? Optional.empty() : Optional.of(scope), List.of(secret.stored()));
      operator.stores().accounts().createClient(created);
      out.println("created confidential client " + created.clientId() + " in account " + account.name()
          + ": grants " + String.join(", ", sorted(created.grantTypes())) + "; scope "
          + created.scope().map(Scope::toString).orElse("the account's (" + account.allowedScopes() + ")"));
      printSecret(out, secret);
    }

    /** The grants given, each one of the document's; at least one. */
    private static Set<String> grantTypes(List<String> grants) {
      if (grants.isEmpty()) {
        throw CommandFailure.usage("a confidential client needs at least one --grant: one of "
            + String.join(", ", GRANT_TYPES));
      }
      var unknown = grants.stream().filter(grant -> !GRANT_TYPES.contains(grant)).collect(Collectors.toCollection(
          TreeSet::new));
      if (!unknown.isEmpty()) {
        throw CommandFailure.usage("no grant type " + String.join(", ", unknown) + ": --grant is one of "
            + String.join(", ", GRANT_TYPES));
      }
      return new LinkedHashSet<>(grants);
    }
  }

  @Command(name = "list", description = {"List the clients of an account: id, type, grants, scope, and each "
      + "secret's id and creation date (never a secret, nor its hash).",
      "'-' under GRANTS and SCOPE: a public client's grants (every grant open to public clients) and the account's "
          + "scopes."})
  static final class ListClients extends StoreCommand {
    @Parameters(paramLabel = "ACCOUNT", description = "The account.")
    String account;

    @Override
    void run(Operator operator, PrintWriter out) {
      var table = new Table("CLIENT-ID", "TYPE", "GRANTS", "SCOPE", "SECRETS", "SECRET-IDS");
      for (var client : operator.stores().accounts().listClients(account)) {
        table.row(client.clientId(), client.confidential() ? "confidential" : "public",
            client.grantTypes().isEmpty() ? "-" : String.join(",", sorted(client.grantTypes())),
            client.scope().map(scope -> String.join(",", scope.values())).orElse("-"), client.secrets().size(),
            client.secrets().isEmpty() ? "-" : client.secrets().stream()
                .map(secret -> secret.id() + "(" + Table.instant(secret.createdAt()) + ")")
                .collect(Collectors.joining(",")));
      }
      table.print(out);
    }
  }

  @Command(name = "delete", description = "Delete a client: its secrets and the refresh tokens issued to it go "
      + "with it.")
  static final class Delete extends StoreCommand {
    @Mixin
    ClientParameters client;

    @Override
    void run(Operator operator, PrintWriter out) {
      operator.provisioning().account(client.account);
      operator.stores().accounts().deleteClient(client.account, client.clientId);
      out.println("deleted client " + client.clientId + " from account " + client.account
          + ", with its secrets and refresh tokens");
    }
  }

  @Command(name = "secret", description = "Add and remove the secrets of a confidential client: add a second, move "
      + "the service to it, then remove the oldest.",
      subcommands = {AddSecret.class, RemoveSecret.class})
  static final class SecretCommand extends GroupCommand {
  }

  @Command(name = "add", description = {"Add a secret to a confidential client, which holds at most "
      + Client.MAX_SECRETS + ": both work until the older one is removed.",
      "The new secret is printed once, alone on the last line: store it now, it cannot be shown again."})
  static final class AddSecret extends StoreCommand {
    @Mixin
    ClientParameters client;

    @Override
    void run(Operator operator, PrintWriter out) {
      var current = requireConfidential(operator, client);
      var secret = ClientSecrets.newSecret(operator.config().clock().instant());
      try {
        operator.stores().accounts().addClientSecret(client.account, client.clientId, secret.stored());
      } catch (ConflictException e) {
        throw new CommandFailure(e.getMessage() + " (clients secret remove " + client.account + " "
            + client.clientId + " --oldest)", ExitCodes.FAILED);
      }
      out.println("added secret " + describe(secret.stored()) + " to client " + client.clientId + " of account "
          + client.account + current.secrets().stream().findFirst().map(older -> "; secret " + describe(older)
              + " works too until clients secret remove " + client.account + " " + client.clientId
              + " --oldest").orElse(""));
      printSecret(out, secret);
    }
  }

  @Command(name = "remove", description = "Remove the oldest secret of a confidential client that holds "
      + Client.MAX_SECRETS + ": it stops working at once; the newer one keeps working.")
  static final class RemoveSecret extends StoreCommand {
    @Mixin
    ClientParameters client;

    @Option(names = "--oldest", required = true, description = "Remove the older of the two secrets (required: "
        + "says which one goes).")
    boolean oldest;

    @Override
    void run(Operator operator, PrintWriter out) {
      requireConfidential(operator, client);
      ClientSecret removed;
      try {
        removed = operator.stores().accounts().removeOldestClientSecret(client.account, client.clientId);
      } catch (ConflictException e) {
        throw new CommandFailure(e.getMessage() + ": add a new one first (clients secret add " + client.account
            + " " + client.clientId + ")", ExitCodes.FAILED);
      }
      out.println("removed secret " + describe(removed) + " from client " + client.clientId + " of account "
          + client.account);
    }
  }

  /** The client, confidential: {@link NotFoundException} for no account or client, a failure for a public one. */
  private static Client requireConfidential(StoreCommand.Operator operator, ClientParameters client) {
    operator.provisioning().account(client.account);
    var found = operator.stores().accounts().findClient(client.account, client.clientId)
        .orElseThrow(() -> new NotFoundException("no client " + client.clientId + " in account " + client.account
            + " (clients list " + client.account + " lists its clients)"));
    if (!found.confidential()) {
      throw new CommandFailure("client " + client.clientId + " of account " + client.account + " is public: it has "
          + "no secrets (clients create " + client.account + " ID --confidential makes a client with one)",
          ExitCodes.FAILED);
    }
    return found;
  }

  private static String describe(ClientSecret secret) {
    return secret.id() + " (created " + Table.instant(secret.createdAt()) + ")";
  }

  /** How to keep the secret, then the secret alone on the last line, for a script to take with {@code tail -n 1}. */
  private static void printSecret(PrintWriter out, ClientSecrets.NewSecret secret) {
    out.println("its secret, shown this once (store it now; the server keeps only its hash):");
    out.println(secret.secret());
  }

  private static Set<String> sorted(Set<String> values) {
    return new TreeSet<>(values);
  }
}
