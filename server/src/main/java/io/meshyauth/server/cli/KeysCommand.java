package io.meshyauth.server.cli;

import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "keys",
    description = "Rotate and list the keys an account's access tokens are signed with (ES256).",
    subcommands = {KeysCommand.Rotate.class, KeysCommand.ListKeys.class})
final class KeysCommand extends GroupCommand {

  @Command(name = "rotate", description = {
      "Sign the account's access tokens with a new key from now on.",
      "The keys it replaces stay published until the tokens they signed have expired, so those stay valid. "
          + "Servers running on the store pick the new key up within half a minute."})
  static final class Rotate extends StoreCommand {
    @Parameters(paramLabel = "ACCOUNT", description = "The account.")
    String account;

    @Override
    void run(Operator operator, PrintWriter out) {
      operator.provisioning().rotateSigningKey(account);
      var signing = operator.stores().signingKeys()
          .activeSigningKeys(Optional.of(account), operator.config().clock().instant()).stream()
          .filter(key -> key.accountName().equals(Optional.of(account)))
          .findFirst();
      out.println("rotated the signing key of account " + account
          + signing.map(key -> ": new key " + key.kid()).orElse(""));
    }
  }

  @Command(name = "list", description = {
      "List the account's published keys, newest first: the one that signs, and those that still verify tokens "
          + "they signed.", "Private keys are never shown."})
  static final class ListKeys extends StoreCommand {
    @Parameters(paramLabel = "ACCOUNT", description = "The account.")
    String account;

    @Override
    void run(Operator operator, PrintWriter out) {
      operator.provisioning().account(account);
      var now = operator.config().clock().instant();
      var keys = operator.stores().signingKeys();
      var signing = keys.activeSigningKeys(Optional.of(account), now).stream().findFirst();
      var table = new Table("KID", "STATUS", "CREATED", "RETIRE-AFTER", "NOT-AFTER");
      for (var key : keys.publishedSigningKeys(Optional.of(account), now)) {
        var status = signing.filter(active -> active.kid().equals(key.kid())).isPresent() ? "signing" : "published";
        table.row(key.kid(), status, Table.instant(key.createdAt()), Table.instant(key.retireAfter()),
            Table.instant(key.notAfter()));
      }
      table.print(out);
    }
  }
}
