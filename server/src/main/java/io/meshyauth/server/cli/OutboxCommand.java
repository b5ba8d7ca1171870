package io.meshyauth.server.cli;

import io.meshyauth.server.courier.Outbox.Status;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "outbox",
    description = "Show the courier's outbox: the verification and reset messages waiting, sent and given up.",
    subcommands = {OutboxCommand.ListMessages.class})
final class OutboxCommand extends GroupCommand {

  @Command(name = "list", description = "List the outbox's messages, newest first: their kind, masked recipient, "
      + "status, attempts and last error. Neither codes nor addresses are shown: the store keeps neither in clear.")
  static final class ListMessages extends StoreCommand {
    @Option(names = "--status", paramLabel = "STATUS", description = "Only those queued, sent or failed.")
    String status;

    @Option(names = "--limit", paramLabel = "N", description = "At most N messages (default: ${DEFAULT-VALUE}).")
    int limit = 100;

    @Override
    void run(Operator operator, PrintWriter out) {
      Optional<Status> only;
      try {
        only = Optional.ofNullable(status).map(Status::ofId);
      } catch (IllegalArgumentException e) {
        throw CommandFailure.usage("--status must be queued, sent or failed, was '" + status + "'");
      }
      if (limit < 1) {
        throw CommandFailure.usage("--limit must be at least 1, was " + limit);
      }
      var outbox = operator.stores().outbox()
          .orElseThrow(() -> CommandFailure.usage("this store keeps no outbox"));
      var table = new Table("ID", "ACCOUNT", "KIND", "TO", "STATUS", "ATTEMPTS", "CREATED", "SENT", "LAST-ERROR");
      for (var entry : outbox.list(only, limit)) {
        table.row(entry.id(), entry.account(), entry.kind().id(), entry.recipientHint(), entry.status().id(),
            entry.attempts(), Table.instant(entry.createdAt()), entry.sentAt().map(Table::instant).orElse("-"),
            entry.lastError().orElse("-"));
      }
      table.print(out);
    }
  }
}
