package io.meshyauth.server.cli;

import io.meshyauth.server.imports.UserImport;
import io.meshyauth.server.imports.UserImport.Skip;
import io.meshyauth.server.imports.UserImport.Summary;
import io.meshyauth.server.password.ImportedHash.CostLimits;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import", description = {
    "Import users from a JSON Lines file, one MeshyDB user a line: username, firstName, lastName, roles, isActive, "
        + "verified, anonymous, and passwordHash in ASP.NET Core Identity V2 or V3, bcrypt ($2a$, $2b$, $2y$) or "
        + "Argon2 (PHC string). Hashes are kept as they are and replaced by Argon2id at the user's next successful "
        + "login.",
    "A line that is malformed, repeats an earlier line's username, or has a hash in no known format or over the "
        + "limits below is reported on stderr with its number and skipped, nothing of it written. Users already in "
        + "the account are skipped: a second run goes on where the first stopped.",
    "Exit code 0 when every user of the file is in the account as the file has it, 1 when a line was skipped for "
        + "another reason."})
final class UsersImportCommand extends StoreCommand {
  @Parameters(index = "0", paramLabel = "ACCOUNT", description = "The account.")
  String account;

  @Parameters(index = "1", paramLabel = "FILE", description = "JSON Lines in UTF-8 (/dev/stdin reads a pipe).")
  Path file;

  @Option(names = "--dry-run", description = "Check every line and the store, report, and write nothing.")
  boolean dryRun;

  @Option(names = "--max-bcrypt-cost", paramLabel = "N",
      description = "Refuse bcrypt hashes of a higher cost (default: ${DEFAULT-VALUE}).")
  int maxBcryptCost = CostLimits.DEFAULTS.maxBcryptCost();

  @Option(names = "--max-pbkdf2-iterations", paramLabel = "N",
      description = "Refuse ASP.NET Core Identity hashes of more iterations (default: ${DEFAULT-VALUE}).")
  int maxPbkdf2Iterations = CostLimits.DEFAULTS.maxPbkdf2Iterations();

  @Option(names = "--max-argon2-memory-kib", paramLabel = "KIB",
      description = "Refuse Argon2 hashes of more memory (default: ${DEFAULT-VALUE}).")
  int maxArgon2MemoryKib = CostLimits.DEFAULTS.maxArgon2MemoryKib();

  @Option(names = "--max-argon2-iterations", paramLabel = "N",
      description = "Refuse Argon2 hashes of more iterations (default: ${DEFAULT-VALUE}).")
  int maxArgon2Iterations = CostLimits.DEFAULTS.maxArgon2Iterations();

  @Override
  void run(Operator operator, PrintWriter out) {
    if (maxBcryptCost < 4 || maxPbkdf2Iterations < 1 || maxArgon2MemoryKib < 8 || maxArgon2Iterations < 1) {
      throw CommandFailure.usage("a --max-* limit is below the least cost of its format");
    }
    operator.provisioning().account(account);
    var limits = new CostLimits(maxBcryptCost, maxPbkdf2Iterations, maxArgon2MemoryKib, maxArgon2Iterations);
    var importer = new UserImport(operator.stores().users(), operator.config().clock(), limits, dryRun);
    var err = spec.commandLine().getErr();
    Summary summary;
    try (var in = Files.newInputStream(file)) {
      summary = importer.run(account, in, Files.isRegularFile(file) ? Files.size(file) : -1, new Listener(err));
    } catch (NoSuchFileException e) {
      throw new CommandFailure("no file " + file, ExitCodes.FAILED);
    } catch (IOException e) {
      throw new CommandFailure("cannot read " + file + ": " + e.getMessage(), ExitCodes.FAILED);
    }
    out.println(summaryLine(summary));
    out.flush();
    if (!summary.complete()) {
      long skipped = summary.skippedInAll() - summary.skipped().getOrDefault(Skip.ALREADY_IMPORTED, 0L);
      throw new CommandFailure(skipped + (skipped == 1 ? " line was" : " lines were") + " skipped (listed above)",
          ExitCodes.FAILED);
    }
  }

  private String summaryLine(Summary summary) {
    var verb = dryRun ? "dry run, nothing written: would import " : "imported ";
    var skipped = summary.skipped().entrySet().stream()
        .map(entry -> entry.getValue() + " " + entry.getKey().label())
        .collect(Collectors.joining(", "));
    return verb + summary.imported() + (summary.imported() == 1 ? " user" : " users") + " into account " + account
        + "; " + (dryRun ? "would skip " : "skipped ")
        + (summary.skippedInAll() == 0 ? "none" : summary.skippedInAll() + ": " + skipped);
  }

  private final class Listener implements UserImport.Listener {
    private final PrintWriter err;

    Listener(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void skipped(long line, Skip reason, String detail) {
      err.println("line " + line + ": " + reason.label() + ": " + detail);
    }

    @Override
    public void progress(Summary soFar, OptionalInt percent) {
      err.println("read " + soFar.lines() + " lines" + (percent.isPresent() ? " (" + percent.getAsInt() + "%)" : "")
          + ": " + soFar.imported() + (dryRun ? " would be imported, " : " imported, ") + soFar.skippedInAll()
          + " skipped");
      err.flush();
    }
  }
}
