package io.meshyauth.server.cli;

import io.meshyauth.server.token.SigningKeys;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "keys",
    description = "Rotate and list the keys an account's access tokens are signed with (ES256).",
    subcommands = {KeysCommand.Rotate.class, KeysCommand.ListKeys.class})
final class KeysCommand extends GroupCommand {

  @Command(name = "rotate", description = {
      "Publish a new signing key now; it signs once every cached copy of the JWK set has it: after the JWK set's "
          + "max-age (Cache-Control, 60 s) and a margin of 30 s. The key it replaces signs until then, and stays "
          + "published until the tokens it signed have expired, so those stay valid.",
      "With --now (a compromised key), the new key signs at once and every other key leaves the JWK set at once: "
          + "every access token they signed stops verifying."})
  static final class Rotate extends StoreCommand {
    @Parameters(paramLabel = "ACCOUNT", description = "The account.")
    String account;

    @Option(names = "--now", description = "The old key is compromised: sign with the new key at once and withdraw "
        + "the old keys from the JWK set at once, invalidating every access token they signed.")
    boolean now;

    @Override
    void run(Operator operator, PrintWriter out) {
      if (now) {
        rotateNow(operator, out);
        return;
      }
      var rotation = operator.provisioning().rotateSigningKey(account);
      out.printf("rotated the signing key of account %s: new key %s is published now and signs from %s (in %d s: "
          + "the JWK set is cached for up to %d s, plus %d s of margin)%n", account, rotation.key().kid(),
          Table.instant(rotation.signsFrom()), SigningKeys.PUBLISHED_BEFORE_SIGNING.toSeconds(),
          SigningKeys.JWKS_MAX_AGE.toSeconds(), SigningKeys.PUBLICATION_MARGIN.toSeconds());
      for (var old : rotation.retired()) {
        if (old.createdAt().isBefore(rotation.signsFrom())) {
          out.printf("key %s signs until then and stays published until %s, when the last tokens it signed "
              + "expire%n", old.kid(), Table.instant(old.notAfter()));
        } else {
          out.printf("key %s, published to sign later, never will: it left the JWK set%n", old.kid());
        }
      }
    }

    private void rotateNow(Operator operator, PrintWriter out) {
      var rotation = operator.provisioning().rotateSigningKeyNow(account);
      out.printf("rotated the signing key of account %s: new key %s signs now%n", account, rotation.key().kid());
      var err = spec.commandLine().getErr();
      for (var old : rotation.retired()) {
        err.printf("WARNING: key %s left the JWK set now: every access token it signed stops verifying at once, "
            + "and clients get 401 until they refresh (refresh tokens keep working).%n", old.kid());
      }
      err.printf("WARNING: resource servers that cached the JWK set keep trusting the withdrawn keys for up to %d s; "
          + "servers running on this store sign with the new key within %d s, and tokens they sign meanwhile fail "
          + "verification too.%n", SigningKeys.JWKS_MAX_AGE.toSeconds(), SigningKeys.CACHE_TTL.toSeconds());
      err.flush();
    }
  }

  @Command(name = "list", description = {
      "List the account's published keys, newest first: the one that signs next (published before it signs), "
          + "the one that signs, and those that still verify tokens they signed.", "Private keys are never shown."})
  static final class ListKeys extends StoreCommand {
    @Parameters(paramLabel = "ACCOUNT", description = "The account.")
    String account;

    @Override
    void run(Operator operator, PrintWriter out) {
      operator.provisioning().account(account);
      var now = operator.config().clock().instant();
      var keys = operator.stores().signingKeys();
      var signing = keys.activeSigningKeys(Optional.of(account), now).stream().findFirst();
      var table = new Table("KID", "STATUS", "SIGNS-FROM", "RETIRE-AFTER", "NOT-AFTER");
      for (var key : keys.publishedSigningKeys(Optional.of(account), now)) {
        var status = signing.filter(active -> active.kid().equals(key.kid())).isPresent() ? "signing"
            : key.createdAt().isAfter(now) ? "next" : "published";
        table.row(key.kid(), status, Table.instant(key.createdAt()), Table.instant(key.retireAfter()),
            Table.instant(key.notAfter()));
      }
      table.print(out);
    }
  }
}
