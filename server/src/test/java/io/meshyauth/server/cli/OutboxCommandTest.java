package io.meshyauth.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshyauth.server.courier.Message;
import io.meshyauth.server.courier.Templates;
import io.meshyauth.server.store.StoreOptions;
import io.meshyauth.server.store.jdbc.JdbcStores;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxCommandTest {
  @TempDir
  Path directory;

  @Test
  void listShowsEachMessagesKindMaskedRecipientAndStatusButNeverItsCode() {
    var cli = Cli.in(directory);
    cli.run("accounts", "create", "acme", "--client-id", "acme-key");
    try (var store = JdbcStores.openWithOutbox("jdbc:sqlite:" + directory.resolve("meshy-auth.db"),
        StoreOptions.defaults(), Optional.empty())) {
      var message = new Message(Message.Kind.VERIFY_EMAIL, "acme", "alice", "alice@example.com", "493027",
          Instant.now().plusSeconds(3600));
      store.outbox().queue(Templates.builtIn().render(message, Instant.now()), Instant.now());
    }

    var listed = cli.run("outbox", "list");
    var sent = cli.run("outbox", "list", "--status", "sent");

    assertThat(listed.exitCode()).isZero();
    assertThat(listed.out().lines()).hasSize(2);
    assertThat(listed.out().lines().skip(1).findFirst().orElseThrow())
        .contains(" acme ", " verify_email ", " queued ", " 0 ").doesNotContain("493027", "alice@example.com");
    assertThat(sent.out().lines()).hasSize(1);
  }

  @Test
  void anUnknownStatusIsAUsageError() {
    var listed = Cli.in(directory).run("outbox", "list", "--status", "lost");

    assertThat(listed.exitCode()).isEqualTo(2);
    assertThat(listed.err()).startsWith("meshy-auth: --status must be queued, sent or failed, was 'lost'");
  }
}
